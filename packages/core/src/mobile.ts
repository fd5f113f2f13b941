import { FscError } from './errors.ts';

const CHINA_MOBILE = /^1\d{10}$/;
const INTERNATIONAL = /^\+[1-9]\d{6,14}$/;

/**
 * The one form a mobile is stored, counted and looked up in. Spaces and dashes are dropped; a mainland
 * number written with +86, 0086, 86 or a trunk 0 becomes its 11 digits (13800000000); any other country
 * keeps E.164 (+4915112345678, also from 0049…). Anything else is not a mobile (undefined).
 */
export function normalMobile(input: string): string | undefined {
  let s = input.replace(/[\s-]/g, '');
  if (s.startsWith('00')) s = `+${s.slice(2)}`;
  if (s.startsWith('+86')) s = s.slice(3);
  else if (/^86\d{11}$/.test(s)) s = s.slice(2);
  else if (/^0\d{11}$/.test(s)) s = s.slice(1);
  if (CHINA_MOBILE.test(s) || INTERNATIONAL.test(s)) return s;
  return undefined;
}

/** normalMobile for input from a client: INVALID_MOBILE when it is not a mobile. */
export function requireMobile(input: unknown): string {
  const mobile = typeof input === 'string' && input.length <= 32 ? normalMobile(input) : undefined;
  if (mobile === undefined) throw new FscError('INVALID_MOBILE');
  return mobile;
}

/** For logs: the first three and last two digits (138******00). */
export function maskedMobile(mobile: string): string {
  return mobile.length <= 5 ? '*'.repeat(mobile.length) : `${mobile.slice(0, 3)}${'*'.repeat(mobile.length - 5)}${mobile.slice(-2)}`;
}
