import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger, decodeDeliveryEvent, deliveryTopic, type DeliveryEvent, type DeliveredReport } from '@fscpush/core';
import { InProcessBus, MemoryGrid } from '@fscpush/adapter-memory';
import { openGroupStore } from './store/open-group-store.ts';
import type { GroupStore as Store } from '../src/store/index.ts';
import { DeliveryPublisher } from '../src/messages/delivery-publisher.ts';
import { GroupTimeline } from '../src/repos/group-timeline.ts';
import { GroupMemberCache } from '../src/repos/group-member-cache.ts';
import { GroupsRepo } from '../src/repos/groups-repo.ts';
import { MessagesRepo } from '../src/repos/messages-repo.ts';
import { PositionsRepo } from '../src/repos/positions-repo.ts';
import { conversationKey } from '../src/repos/rows.ts';
import { OnlineSessions } from '../src/sessions/online-sessions.ts';
import { ReceiptServiceImpl } from '../src/receipts/receipt-service.ts';

// Pulls a connector answered itself reach push-group as delivery reports (ReceiptService.delivered).
let store: Store;
let grid: MemoryGrid;
let bus: InProcessBus;
let positions: PositionsRepo;
let receipts: ReceiptServiceImpl;
const events: DeliveryEvent[] = [];

before(async () => {
  store = await openGroupStore(':memory:');
  grid = new MemoryGrid();
  bus = new InProcessBus();
  const online = new OnlineSessions(grid);
  online.setLiveConnectors(['conn-1']);
  await online.register('alice', 'phone', { node: 'conn-1', connToken: 't', transport: 'tcp', since: Date.now() });
  await bus.subscribe(deliveryTopic('conn-1'), 'test', async (records) => {
    for (const record of records) {
      const decoded = decodeDeliveryEvent(record.value);
      assert.ok(decoded.ok, 'push-group writes events its connectors read');
      events.push(decoded.event);
    }
  });
  positions = new PositionsRepo(store.db, store.dialect);
  const timeline = new GroupTimeline(store.db, store.dialect);
  receipts = new ReceiptServiceImpl({
    positions,
    messages: new MessagesRepo(store.db),
    groups: new GroupsRepo(store.db, new GroupMemberCache(grid), timeline),
    publisher: new DeliveryPublisher(bus, online, createLogger('test', { level: 'silent' })),
  });
});
after(async () => {
  await bus.close();
  await grid.close();
  store.close();
});

const fromAlice = (mid: string) => ({ messageId: mid, fromUser: 'alice', conversation: { type: 0, target: 'bob', line: 0 } });
const delivered = (uid: string) => positions.of('delivered_positions', uid, [conversationKey(0, 'alice', 'bob')]);

test('a report advances the delivered position and sends the receipt (MRP) to the sender', async () => {
  await receipts.delivered([{ uid: 'bob', messages: [fromAlice('1001'), fromAlice('1003'), fromAlice('1002')] }]);
  assert.deepEqual([...(await delivered('bob')).values()], [1003n], 'the newest message of the conversation');
  for (let i = 0; i < 50 && events.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.deepEqual(events, [{ t: 'mrp', to: [{ u: 'alice', c: 'phone' }], k: 0, r: 'bob', mid: '1003' }]);
  await receipts.delivered([{ uid: 'bob', messages: [fromAlice('1002')] }]);
  assert.deepEqual([...(await delivered('bob')).values()], [1003n], 'positions never move back');
});

test('a malformed report is refused as a whole and changes nothing', async () => {
  const bad: unknown[] = [
    { uid: "carol' OR 1=1 --", messages: [fromAlice('1')] },
    { uid: 'carol', messages: [{ ...fromAlice('1'), messageId: '1; DROP TABLE inbox' }] },
    { uid: 'carol', messages: [{ ...fromAlice('1'), conversation: { type: 0, target: '../../etc', line: 0 } }] },
    { uid: 'carol', messages: 'all of them' },
    null,
  ];
  for (const report of bad) {
    await assert.rejects(receipts.delivered([{ uid: 'carol', messages: [fromAlice('2001')] }, report as DeliveredReport]), (err: { code?: string }) => err.code === 'INVALID_DATA');
  }
  await assert.rejects(receipts.delivered('nope' as never), (err: { code?: string }) => err.code === 'INVALID_DATA');
  assert.equal((await delivered('carol')).size, 0, 'the valid report before the bad one was not applied either');
});
