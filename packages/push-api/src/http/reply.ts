import type { FscError } from '@fscpush/core';
import type { Response } from 'express';
import type { ReplyStyle } from '../routes/route.ts';

/** The v1 error object: the stable code, a message for humans, and details where the service gave some. */
export function errorBody(error: FscError): { error: { code: string; message: string; details?: Record<string, unknown> } } {
  return { error: { code: error.code, message: error.message, ...(error.details !== undefined && { details: error.details }) } };
}

/** v1 and raw: the code's HTTP status from ERROR_TABLE; rest-result: HTTP 200 with FShareChat's numeric code. */
export function sendError(res: Response, style: ReplyStyle, error: FscError): void {
  if (style === 'rest-result') res.status(200).json({ code: error.protocolCode, message: error.message });
  else res.status(error.httpStatus).json(errorBody(error));
}

export function sendResult(res: Response, style: ReplyStyle, result: unknown): void {
  if (style === 'v1') res.json({ result });
  else if (style === 'rest-result') res.json({ code: 0, message: 'success', result });
  else res.json(result);
}
