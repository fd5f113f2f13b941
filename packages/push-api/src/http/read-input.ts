import express, { type Request, type Response } from 'express';
import { FscError } from '@fscpush/core';
import type { z } from 'zod';

export const MAX_BODY_BYTES = 256 * 1024;

const parseJson = express.json({ limit: MAX_BODY_BYTES, strict: true });

/** Reads a JSON body (objects and arrays only); parser failures become INVALID_DATA with a plain message. */
export function readJsonBody(req: Request, res: Response): Promise<unknown> {
  return new Promise((resolve, reject) => {
    parseJson(req, res, (err?: unknown) => {
      if (err === undefined) resolve(req.body);
      else reject(bodyError(err));
    });
  });
}

function bodyError(err: unknown): FscError {
  const { type, status } = err as { type?: string; status?: number };
  if (type === 'entity.too.large') return new FscError('INVALID_DATA', `request body larger than ${MAX_BODY_BYTES / 1024} KB`);
  if (type === 'entity.parse.failed') return new FscError('INVALID_DATA', 'request body is not JSON (an object or array expected)');
  if (status !== undefined && status >= 400 && status < 500) return new FscError('INVALID_DATA', 'unreadable request body');
  return new FscError('SERVER_ERROR', undefined, undefined, { cause: err });
}

const MAX_ISSUES = 10;

/** Validates one part of the request; the error names every problem's location (`body.content.type`). */
export function parseInput(schema: z.ZodType, value: unknown, where: 'path' | 'query' | 'body'): unknown {
  if (where === 'body' && value === undefined) {
    throw new FscError('INVALID_DATA', 'a JSON body is required (Content-Type: application/json)');
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.slice(0, MAX_ISSUES).map((issue) => ({
    path: [where, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  const first = issues[0]!;
  throw new FscError('INVALID_DATA', `${first.path}: ${first.message}`, { issues });
}
