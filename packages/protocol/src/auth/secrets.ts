import { randomUUID } from 'node:crypto';

/** 36-char ASCII UUID v4: clients key AES with its first 16 chars. */
export function generateSessionSecret(): string {
  return randomUUID();
}

/** Opaque per-session secret the clients receive for their local database; ASCII without "|". */
export function generateDbSecret(): string {
  return randomUUID();
}
