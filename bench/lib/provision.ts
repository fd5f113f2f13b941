import type { Account } from './bench-client.ts';
import type { Target } from './target.ts';

/**
 * Users are created the way real ones are: /login with a mobile and the configured super code registers
 * a new mobile and opens a device session (the CONNECT password derives from its token). The admin API
 * creates groups. Both run with bounded concurrency.
 */
export async function loginAccounts(target: Target, count: number, prefix: string, concurrency = 32, onProgress?: (done: number) => void): Promise<Account[]> {
  const accounts: Account[] = new Array(count);
  let next = 0;
  let done = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= count) return;
      const mobile = `1${prefix}${String(i).padStart(8, '0')}`; // 11 digits: a mainland mobile
      const clientId = `bench-${prefix}-${i}`;
      accounts[i] = await login(target, mobile, clientId);
      done += 1;
      if (onProgress && done % 500 === 0) onProgress(done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return accounts;
}

async function login(target: Target, mobile: string, clientId: string): Promise<Account> {
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await fetch(`${target.loginUrl}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ mobile, code: target.superCode, clientId }),
      });
      const json = (await res.json()) as { code: number; message?: string; result?: { userId: string; token: string } };
      if (json.code !== 0 || !json.result) throw new Error(`login ${mobile}: ${json.code} ${json.message ?? ''}`);
      return { uid: json.result.userId, token: json.result.token, clientId };
    } catch (err) {
      if (attempt >= 3) throw err;
      await new Promise((r) => setTimeout(r, 200 * attempt));
    }
  }
}

/** POST /v1/groups takes up to group.max.members at once; adding members takes at most 500 per request */
const MEMBERS_AT_CREATE = 2000;
const MEMBERS_PER_ADD = 500;

/** A group owned by the first uid with all the others as members; returns its id. */
export async function createGroup(target: Target, uids: string[], name: string): Promise<string> {
  const [owner, ...rest] = uids;
  if (owner === undefined) throw new Error('a group needs an owner');
  const created = await api(target, 'POST', '/v1/groups', { owner, name, members: rest.slice(0, MEMBERS_AT_CREATE - 1) }) as { gid: string };
  for (let i = MEMBERS_AT_CREATE - 1; i < rest.length; i += MEMBERS_PER_ADD) {
    await api(target, 'POST', `/v1/groups/${created.gid}/members`, { members: rest.slice(i, i + MEMBERS_PER_ADD) });
  }
  return created.gid;
}

/** Two users become friends at once (admin API, no request). */
export async function makeFriends(target: Target, uid: string, other: string): Promise<void> {
  await api(target, 'PUT', `/v1/users/${uid}/friends/${other}`, {});
}

async function api(target: Target, method: string, path: string, body: unknown): Promise<unknown> {
  const res = await fetch(`${target.apiUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${target.adminSecret}` },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as { result?: unknown; error?: { code: string; message: string } };
  if (!res.ok || json.error) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json.error)}`);
  return json.result;
}
