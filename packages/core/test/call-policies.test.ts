import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CALL_POLICIES, SERVICE_NAMES } from '../src/index.ts';

test('every service a caller consumes has one call policy; writes are never retried', () => {
  const consumed = Object.keys(SERVICE_NAMES).filter((name) => name !== 'connector');
  assert.deepEqual(Object.keys(CALL_POLICIES).sort(), consumed.sort());
  const writes = ['send', 'recall', 'connect', 'create', 'add', 'kick', 'quit', 'dismiss', 'request', 'handle', 'update', 'setAlias', 'setBlacklist'];
  for (const [service, policy] of Object.entries(CALL_POLICIES)) {
    for (const method of policy.idempotent) assert.ok(!writes.includes(method), `${service}.${method} is a write and must not be retried`);
  }
  assert.equal(CALL_POLICIES.messages.balance, 'consistent-hash');
  assert.equal(CALL_POLICIES.messages.routeKey('send', [{ uid: 'b', conversation: { type: 0, target: 'a' } }]), 'p/a/b');
});
