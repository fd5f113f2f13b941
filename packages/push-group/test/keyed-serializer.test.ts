import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { KeyedSerializer } from '../src/groups/keyed-serializer.ts';

test('tasks of one key run one after another, in call order, even when one fails', async () => {
  const serial = new KeyedSerializer();
  const log: string[] = [];
  const task = (name: string, ms: number, fail = false) => async () => {
    log.push(`start ${name}`);
    await sleep(ms);
    log.push(`end ${name}`);
    if (fail) throw new Error(name);
    return name;
  };
  const results = await Promise.allSettled([serial.run('g', task('a', 20, true)), serial.run('g', task('b', 1)), serial.run('g', task('c', 5))]);
  assert.deepEqual(log, ['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  assert.deepEqual(results.map((r) => r.status), ['rejected', 'fulfilled', 'fulfilled']);
});

test('tasks of different keys overlap', async () => {
  const serial = new KeyedSerializer();
  const log: string[] = [];
  await Promise.all([
    serial.run('g1', async () => {
      log.push('start 1');
      await sleep(20);
      log.push('end 1');
    }),
    serial.run('g2', async () => {
      log.push('start 2');
      await sleep(1);
      log.push('end 2');
    }),
  ]);
  assert.deepEqual(log, ['start 1', 'start 2', 'end 2', 'end 1']);
});
