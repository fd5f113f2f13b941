import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CALL_POLICIES, SERVICE_NAMES } from '@fscpush/core';
import { openGroupStore } from './store/open-group-store.ts';
import { CLIENT_READ_CALLS, clientReadServices } from '../src/client-reads.ts';
import { UsersRepo } from '../src/repos/users-repo.ts';

test('every call answered beside push-group exists there, is a read callers may retry, and reads committed rows', async () => {
  const store = await openGroupStore(':memory:');
  try {
    const services = clientReadServices(store.reads);
    const policyOf = new Map<string, { idempotent?: readonly string[] } | undefined>(Object.entries(SERVICE_NAMES).map(([key, name]) => [name, CALL_POLICIES[key as keyof typeof CALL_POLICIES]]));
    for (const call of CLIENT_READ_CALLS) {
      const dot = call.lastIndexOf('.');
      const [service, method] = [call.slice(0, dot), call.slice(dot + 1)];
      assert.equal(typeof services[service]?.[method], 'function', `${call} is not answered`);
      assert.ok((policyOf.get(service)?.idempotent as readonly string[] | undefined)?.includes(method), `${call} must be idempotent (a read)`);
    }
    await new UsersRepo(store.db).create({ uid: 'u-reads', name: 'u-reads', displayName: 'Reads' });
    const users = services[SERVICE_NAMES.users]!;
    const profiles = (await users['getMany']!(['u-reads', 'u-none', '../x'] as never)) as { uid: string; displayName: string }[];
    assert.deepEqual(profiles.map((p) => [p.uid, p.displayName]), [['u-reads', 'Reads']]);
    await assert.rejects(users['getMany']!('u-reads' as never), (err: { code?: string }) => err.code === 'INVALID_DATA');
    const friends = services[SERVICE_NAMES.friends]!;
    assert.deepEqual(await friends['requests']!({ uid: 'u-reads', since: 0 } as never), []);
    assert.deepEqual(await friends['list']!({ uid: 'u-reads', since: 0 } as never), []);
  } finally {
    await store.close();
  }
});
