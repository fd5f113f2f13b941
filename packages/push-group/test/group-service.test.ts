import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ContentType, FscError, GroupMemberType, type SendRequest, type SendResult } from '@fscpush/core';
import { MemoryGrid } from '@fscpush/adapter-memory';
import { openGroupStore } from './store/open-group-store.ts';
import type { GroupStore as Store } from '../src/store/index.ts';
import { GroupServiceImpl } from '../src/groups/group-service.ts';
import { GroupMemberCache } from '../src/repos/group-member-cache.ts';
import { GroupTimeline } from '../src/repos/group-timeline.ts';
import { GroupsRepo } from '../src/repos/groups-repo.ts';
import { UsersRepo } from '../src/repos/users-repo.ts';

// Group use cases on the embedded adapters, without sockets: every refusal is its error code and changes
// nothing (no member, no notice); what succeeds announces itself.

let store: Store;
let groups: GroupsRepo;
let service: GroupServiceImpl;
const notices: { from: string; type: number }[] = [];
const USERS = ['g-owner', 'g-manager', 'g-member', 'g-other', 'g-fifth', 'g-sixth'];

before(async () => {
  store = await openGroupStore(':memory:');
  const users = new UsersRepo(store.db);
  for (const uid of USERS) await users.create({ uid, name: uid, displayName: uid });
  groups = new GroupsRepo(store.db, new GroupMemberCache(new MemoryGrid()), new GroupTimeline(store.db, store.dialect), store.reads);
  service = new GroupServiceImpl({
    groups,
    users,
    messages: { sendNotice: async (req: SendRequest): Promise<SendResult> => (notices.push({ from: req.uid, type: req.content.type }), { messageId: String(notices.length), timestamp: 1 }) },
    maxMembers: 5,
    lazyAbove: 500,
    catchUp: async () => undefined,
  });
});
after(() => store.close());

const op = (uid: string, gid: string) => ({ uid, clientId: `${uid}-phone`, gid });
const code = (expected: string) => (err: unknown) => err instanceof FscError && err.code === expected;
async function roster(gid: string): Promise<string[]> {
  return [...(await groups.activeMembers(gid))].map(([uid, type]) => `${uid}:${type}`).sort();
}

test('create: too many members, unknown users or a bad name create nothing; a good one announces 104', async () => {
  const before = (await store.db.selectFrom('groups').select('gid').execute()).length;
  await assert.rejects(service.create({ uid: 'g-owner', clientId: 'p', name: 'big', members: USERS }), code('INVALID_DATA'));
  await assert.rejects(service.create({ uid: 'g-owner', clientId: 'p', name: 'ghosts', members: ['g-member', 'g-nobody'] }), code('NOT_EXIST'));
  await assert.rejects(service.create({ uid: 'g-owner', clientId: 'p', name: 'x'.repeat(10_000), members: ['g-member'] }), code('INVALID_DATA'));
  await assert.rejects(service.create({ uid: 'g-owner', clientId: 'p', name: 'bad ids', members: ['../../etc'] }), code('INVALID_DATA'));
  assert.equal((await store.db.selectFrom('groups').select('gid').execute()).length, before);
  assert.deepEqual(notices, []);

  const { gid } = await service.create({ uid: 'g-owner', clientId: 'p', name: 'team', members: ['g-manager', 'g-member', 'g-owner'] });
  assert.deepEqual(await roster(gid), [`g-manager:${GroupMemberType.MEMBER}`, `g-member:${GroupMemberType.MEMBER}`, `g-owner:${GroupMemberType.OWNER}`]);
  assert.deepEqual(notices.splice(0), [{ from: 'g-owner', type: ContentType.GROUP_CREATE }]);
});

test('members and managers: refusals by role leave the roster and the conversation unchanged', async () => {
  const { gid } = await service.create({ uid: 'g-owner', clientId: 'p', name: 'roles', members: ['g-manager', 'g-member'] });
  await service.setManagers({ ...op('g-owner', gid), members: ['g-manager'], manager: true });
  notices.splice(0);
  const start = await roster(gid);

  await assert.rejects(service.kickMembers({ ...op('g-member', gid), members: ['g-manager'] }), code('NO_RIGHT'));
  await assert.rejects(service.kickMembers({ ...op('g-manager', gid), members: ['g-owner'] }), code('NO_RIGHT'));
  await assert.rejects(service.kickMembers({ ...op('g-owner', gid), members: ['g-other'] }), code('NOT_IN_GROUP'));
  await assert.rejects(service.kickMembers({ ...op('g-owner', gid), members: ['g-owner'] }), code('NO_RIGHT'));
  await assert.rejects(service.quit(op('g-owner', gid)), code('NO_RIGHT'));
  await assert.rejects(service.addMembers({ ...op('g-other', gid), members: ['g-fifth'] }), code('NOT_IN_GROUP'));
  await assert.rejects(service.addMembers({ ...op('g-owner', gid), members: ['g-other', 'g-fifth', 'g-sixth'] }), code('INVALID_DATA'), 'over the member limit');
  await assert.rejects(service.addMembers({ ...op('g-owner', gid), members: ['g-nobody'] }), code('NOT_EXIST'));
  await assert.rejects(service.quit(op('g-owner', 'g-no-such-group')), code('NOT_EXIST'));
  assert.deepEqual(await roster(gid), start);
  assert.deepEqual(notices, [], 'no notice for a refused change');

  await service.kickMembers({ ...op('g-manager', gid), members: ['g-member'] });
  assert.deepEqual(notices.splice(0), [{ from: 'g-manager', type: ContentType.GROUP_KICK }]);
  assert.deepEqual(await service.members({ uid: 'g-member', gid, since: 0 }), [], 'a kicked member sees the group as gone');
});

test('a dismissed group refuses every change; its members list is empty', async () => {
  const { gid } = await service.create({ uid: 'g-owner', clientId: 'p', name: 'short-lived', members: ['g-member'] });
  await assert.rejects(service.dismiss(op('g-member', gid)), code('NO_RIGHT'));
  await service.dismiss(op('g-owner', gid));
  notices.splice(0);
  await assert.rejects(service.addMembers({ ...op('g-owner', gid), members: ['g-other'] }), code('NOT_EXIST'));
  await assert.rejects(service.modify({ ...op('g-owner', gid), field: 0, value: 'new name' }), code('NOT_EXIST'));
  assert.deepEqual(await service.members({ uid: 'g-owner', gid, since: 0 }), []);
  assert.deepEqual(notices, []);
});
