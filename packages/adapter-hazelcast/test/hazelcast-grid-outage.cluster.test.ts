import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { FscError } from '@fscpush/core';
import { createHazelcastGrid, type HazelcastGrid } from '../src/hazelcast-grid.ts';
import { sleep, uniqueName, waitFor } from '@fscpush/ports/contracts/helpers';
import { HazelcastMemberProcess } from './hazelcast-member-process.ts';
import { testLogger } from './hazelcast-env.ts';

/**
 * HazelcastGrid through member outages (cluster tier). The dev stack's member must stay up for everyone,
 * so this file starts its own member from the dev stack's cached jar (scripts/devstack install hazelcast),
 * freezes, kills and restarts it by pid, and removes it at the end.
 */
const OPERATION_TIMEOUT_MS = 2000;
/** What a bounded call may take beyond operationTimeoutMs (timers, the retry pause). */
const SLACK_MS = 1000;

const isRetriableGridError = (err: unknown): boolean => err instanceof FscError && err.code === 'GRID_UNAVAILABLE' && err.retriable;

async function failsFast(what: string, call: () => Promise<unknown>): Promise<number> {
  const started = Date.now();
  await assert.rejects(call(), isRetriableGridError, what);
  const ms = Date.now() - started;
  assert.ok(ms <= OPERATION_TIMEOUT_MS + SLACK_MS, `${what} failed after ${ms} ms`);
  return ms;
}

describe('HazelcastGrid through member outages (own member)', () => {
  let member: HazelcastMemberProcess;
  let grid: HazelcastGrid;
  const name = uniqueName('outage');

  before(async () => {
    member = await HazelcastMemberProcess.create(uniqueName('fscpush-outage'));
    await member.start();
    const log = testLogger();
    grid = await createHazelcastGrid({
      clusterName: member.clusterName,
      members: [member.address],
      operationTimeoutMs: OPERATION_TIMEOUT_MS,
      updateTimeoutMs: 3000,
      heartbeatTimeoutMs: 4000,
      reconnectMaxBackoffMs: 500,
      ...(log && { log }),
    });
  });
  after(async () => {
    await grid?.close();
    await member?.destroy();
  });

  test('a frozen member: calls fail with GRID_UNAVAILABLE within operationTimeoutMs, and work again once it thaws', async () => {
    const map = grid.map<number>(name);
    await map.set('k', 1);
    member.freeze();
    try {
      const times = [
        await failsFast('get', () => map.get('k')),
        await failsFast('set', () => map.set('k', 2)),
        await failsFast('update', () => map.update('k', (n) => (n ?? 0) + 1)),
        await failsFast('increment', () => map.increment('c', 1, 10_000)),
      ];
      console.log(`# frozen member: calls failed after ${times.join(', ')} ms`);
    } finally {
      member.thaw();
    }
    await waitFor('the grid to answer again', () => grid.connected, 15_000);
    const deadline = Date.now() + 15_000;
    for (;;) {
      try {
        assert.ok((await map.get('k')) !== undefined);
        break;
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await sleep(200);
      }
    }
    assert.equal(await map.increment('c2', 1, 10_000), 1);
  });

  test('a killed member: calls fail fast; the client reconnects on its own once a member is back', async () => {
    const map = grid.map<number>(name);
    await map.set('k', 41);
    await member.stop('SIGKILL');
    await waitFor('the client to notice', () => !grid.connected, 10_000);
    const times = [
      await failsFast('get', () => map.get('k')),
      await failsFast('set', () => map.set('k', 2)),
      await failsFast('update', () => map.update('k', (n) => (n ?? 0) + 1)),
      await failsFast('increment', () => map.increment('c', 1, 10_000)),
    ];
    console.log(`# member down: calls failed after ${times.join(', ')} ms`);
    const restarted = Date.now();
    await member.start();
    await waitFor('the grid to reconnect', () => grid.connected, 30_000);
    console.log(`# reconnected ${Date.now() - restarted} ms after the member restart began`);
    // A lone member keeps nothing across a restart: the grid holds soft state (sessions, codes, counters).
    assert.equal(await map.get('k'), undefined);
    assert.equal(await map.update('k', (n) => (n ?? 0) + 1), 1);
    assert.equal(await map.increment('c', 5, 10_000), 5);
  });
});
