import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DeviceFrontier, REPEAT_MS } from '../src/device-frontier.ts';

/** The Android app: it pulls from its stored seq on connect, then from `head - 1` of each MN, never more. */
function androidCatchUp(frontier: DeviceFrontier, stored: bigint, inboxHead: bigint, page: bigint): bigint[] {
  const fetched: bigint[] = [];
  let after = stored;
  for (let round = 0; round < 1000; round++) {
    const current = after + page < inboxHead ? after + page : inboxHead;
    for (let seq = after + 1n; seq <= current; seq++) fetched.push(seq);
    frontier.pulled(after, current);
    frontier.pulling();
    const named = frontier.notifyFor(inboxHead);
    if (named === undefined) return fetched;
    after = named - 1n;
  }
  throw new Error('did not converge');
}

test('MN names the seq after what the device holds, never one beyond a gap it has not fetched', () => {
  const frontier = new DeviceFrontier();
  frontier.connected(205n);
  assert.deepEqual(androidCatchUp(frontier, 0n, 205n, 200n), Array.from({ length: 205 }, (_, i) => BigInt(i + 1)), 'a 205-message backlog with 200-message pages comes whole');
  assert.equal(frontier.notifyFor(205n), undefined, 'nothing is owed');
  assert.equal(frontier.notifyFor(208n), 206n, 'three new messages coalesced: the first of them');
  assert.equal(frontier.notifyFor(209n), undefined, 'no second MN naming the same head before the device pulls');
  frontier.pulling();
  assert.equal(frontier.notifyFor(209n), 206n, 'once it pulled, an MN may name it again');
});

test('an MN naming the same head is repeated at most once per REPEAT_MS until the device pulls', () => {
  let now = 1_000_000;
  const frontier = new DeviceFrontier(() => now);
  frontier.connected(10n);
  assert.equal(frontier.notifyFor(11n), 11n);
  now += REPEAT_MS - 1;
  assert.equal(frontier.notifyFor(12n), undefined);
  now += 1;
  assert.equal(frontier.notifyFor(13n), 11n, 'in case the first one did not reach the client');
  assert.equal(frontier.notifyFor(14n), undefined);
});

test('before the first pull, MN names the seq after the head reported at CONNECT', () => {
  const frontier = new DeviceFrontier();
  frontier.connected(40n);
  assert.equal(frontier.notifyFor(40n), undefined);
  assert.equal(frontier.notifyFor(41n), 41n);
  assert.equal(frontier.notifyFor(43n), undefined, 'named already');
});

test('the first pull sets what the device holds; later pulls move it only when they continue from it', () => {
  const frontier = new DeviceFrontier();
  frontier.connected(500n);
  frontier.pulled(100n, 300n);
  assert.equal(frontier.notifyFor(500n), 301n);
  frontier.pulling();
  frontier.pulled(500n, 510n);
  assert.equal(frontier.notifyFor(510n), 301n, 'a pull from beyond the gap does not close it');
  frontier.pulling();
  frontier.pulled(300n, 450n);
  assert.equal(frontier.notifyFor(520n), 451n, 'a pull that continues it moves it');
  frontier.pulling();
  frontier.pulled(450n, 505n);
  assert.equal(frontier.notifyFor(520n), 511n, 'reaching the range given ahead takes it in');
  frontier.pulling();
  frontier.pulled(0n, 20n);
  assert.equal(frontier.notifyFor(520n), 511n, 'a re-pull of old entries changes nothing');
});

test("the device's own sends that follow what it holds count as held", () => {
  const frontier = new DeviceFrontier();
  frontier.connected(10n);
  frontier.sent(11n);
  assert.equal(frontier.notifyFor(12n), 12n, 'also before the first pull');
  frontier.sent(14n);
  frontier.pulling();
  assert.equal(frontier.notifyFor(14n), 12n, 'not after a gap');
  frontier.pulling();
  frontier.pulled(10n, 12n);
  frontier.sent(13n);
  assert.equal(frontier.notifyFor(14n), 14n);
  frontier.pulling();
  frontier.sent(16n);
  assert.equal(frontier.notifyFor(16n), 14n, 'an own send after a gap does not close it');
});

test("the web client's pull after MN starts at what the device holds, or at the named head if lower", () => {
  const frontier = new DeviceFrontier();
  frontier.connected(5n);
  assert.equal(frontier.pullAfterNotify(6n), 5n, 'seq >= head');
  assert.equal(frontier.pullAfterNotify(0n), 0n);
  frontier.pulled(5n, 9n);
  assert.equal(frontier.pullAfterNotify(6n), 9n, 'a repeated MN brings nothing twice');
  assert.equal(frontier.pullAfterNotify(12n), 11n);
});
