import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MessageChannel } from 'node:worker_threads';
import { PortLink } from '../src/thread/port-link.ts';

const code = (expected: string) => (err: { code?: string }) => err.code === expected;

test('a value that cannot cross threads fails only its own call; the rest of the batch gets through', async () => {
  const { port1, port2 } = new MessageChannel();
  const caller = new PortLink(port1);
  const server = new PortLink(port2);
  server.handle('echo', (payload: unknown) => payload);
  server.handle('give-function', () => () => 'not cloneable');
  try {
    // all four leave in the same loop turn, i.e. in one postMessage that cannot be cloned as a whole
    const calls = [
      caller.request('echo', 1),
      caller.request('echo', () => 'not cloneable'),
      caller.request('give-function', null),
      caller.request('echo', { two: 2 }),
    ];
    const [one, badArgument, badAnswer, two] = await Promise.allSettled(calls);
    assert.deepEqual(one, { status: 'fulfilled', value: 1 });
    assert.equal(badArgument!.status, 'rejected');
    assert.ok(code('INVALID_DATA')((badArgument as PromiseRejectedResult).reason), 'an argument that cannot be cloned');
    assert.equal(badAnswer!.status, 'rejected');
    assert.ok(code('INVALID_DATA')((badAnswer as PromiseRejectedResult).reason), 'an answer that cannot be cloned');
    assert.deepEqual(two, { status: 'fulfilled', value: { two: 2 } });
  } finally {
    caller.close();
    server.close();
  }
});

test('closing one side fails the calls still pending on the other with SHUTTING_DOWN', async () => {
  const { port1, port2 } = new MessageChannel();
  const caller = new PortLink(port1);
  const server = new PortLink(port2);
  server.handle('never', () => new Promise(() => {}));
  const pending = caller.request('never', null);
  await new Promise((resolve) => setTimeout(resolve, 20));
  server.close();
  await assert.rejects(pending, code('SHUTTING_DOWN'));
  await assert.rejects(caller.request('never', null), code('SHUTTING_DOWN'), 'and no new call is taken');
});
