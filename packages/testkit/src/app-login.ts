import { TestkitError } from './testkit-error.ts';

/** What /login gave one device of a user. */
export interface AppAccount {
  mobile: string;
  userId: string;
  token: string;
  clientId: string;
}

const JSON_UTF8 = { 'content-type': 'application/json;charset=UTF-8' };

async function postLogin(loginUrl: string, path: '/send_code' | '/login', body: object): Promise<{ code: number; message: string; result?: { userId: string; token: string } }> {
  const res = await fetch(`${loginUrl}${path}`, { method: 'POST', headers: JSON_UTF8, body: JSON.stringify(body) });
  return (await res.json()) as { code: number; message: string; result?: { userId: string; token: string } };
}

/** POST /send_code as both apps do; the code reaches the user by SMS (the `log` provider: the server log). */
export async function requestSmsCode(loginUrl: string, mobile: string): Promise<void> {
  const json = await postLogin(loginUrl, '/send_code', { mobile });
  if (json.code !== 0) throw new TestkitError('BAD_RESPONSE', `send_code ${mobile}: ${json.code} ${json.message}`);
}

/** POST /login with a verification code (an SMS code or the configured super code) for one device. */
export async function loginWithCode(loginUrl: string, mobile: string, code: string, clientId: string): Promise<AppAccount> {
  const json = await postLogin(loginUrl, '/login', { mobile, code, clientId });
  if (json.code !== 0 || json.result === undefined) throw new TestkitError('BAD_RESPONSE', `login ${mobile}/${clientId}: ${json.code} ${json.message}`);
  return { mobile, userId: json.result.userId, token: json.result.token, clientId };
}
