import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MessageChannel } from 'node:worker_threads';
import { PortLink } from '../src/port-link.ts';

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

/** Counts the batches a port sends. */
function countPosts(port: import('node:worker_threads').MessagePort): { count: number } {
  const posts = { count: 0 };
  const post = port.postMessage.bind(port);
  port.postMessage = (value: unknown) => {
    posts.count += 1;
    post(value);
  };
  return posts;
}

const urgentOnly = (op: string) => op === 'urgent';

test('an urgent request leaves at the end of its task, with what was queued before it; others wait for the turn', async () => {
  const { port1, port2 } = new MessageChannel();
  const posts = countPosts(port1);
  const caller = new PortLink(port1, { urgent: urgentOnly });
  const server = new PortLink(port2);
  server.handle('plain', (n: number) => n);
  server.handle('urgent', (n: number) => n);
  try {
    const plain = caller.request('plain', 1);
    await Promise.resolve();
    assert.equal(posts.count, 0, 'a plain request waits for the end of the loop turn');
    const urgent = caller.request('urgent', 2);
    await Promise.resolve();
    assert.equal(posts.count, 1, 'the urgent one left at once, in one batch with the plain one queued before it');
    assert.deepEqual(await Promise.all([plain, urgent]), [1, 2]);
  } finally {
    caller.close();
    server.close();
  }
});

test('the answer to an urgent request leaves before the loop turn ends; a plain answer waits for it', async () => {
  const { port1, port2 } = new MessageChannel();
  const answers = countPosts(port2);
  const caller = new PortLink(port1);
  const server = new PortLink(port2, { urgent: urgentOnly });
  const sentBeforeTurnEnd: Record<string, number> = {};
  for (const op of ['plain', 'urgent']) {
    server.handle(op, () => {
      const before = answers.count;
      // runs in the check phase, before a turn-end flush the answer below would schedule
      setImmediate(() => (sentBeforeTurnEnd[op] = answers.count - before));
      return op;
    });
  }
  try {
    assert.equal(await caller.request('plain', null), 'plain');
    assert.equal(await caller.request('urgent', null), 'urgent');
    assert.deepEqual(sentBeforeTurnEnd, { plain: 0, urgent: 1 });
  } finally {
    caller.close();
    server.close();
  }
});
