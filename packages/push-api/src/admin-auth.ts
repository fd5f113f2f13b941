import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

/** Accepts `Authorization: Bearer <secret>` or `x-admin-secret: <secret>`; compares in constant time. */
export function requireAdminSecret(secret: string) {
  const expected = createHash('sha256').update(secret).digest();
  return (req: Request, res: Response, next: NextFunction): void => {
    const header = req.get('authorization');
    const presented = header?.startsWith('Bearer ') ? header.slice(7) : req.get('x-admin-secret');
    if (presented !== undefined && timingSafeEqual(createHash('sha256').update(presented).digest(), expected)) {
      next();
      return;
    }
    res.status(401).json({ error: { code: 'UNAUTHENTICATED', message: 'admin secret required (Authorization: Bearer <secret>)' } });
  };
}
