import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TcpImClient } from '@fscpush/testkit';
import { TestServer } from './harness.ts';
import { GroupDevice, assertRefused } from './group-client.ts';

const MAX_MEMBERS = 6;
const NAME = 0;
const PORTRAIT = 1;
const EXTRA = 2;
const MUTE = 3;
const OWNER = 2;
const MANAGER = 1;
const MEMBER = 0;
const REMOVED = 4;
const RESTRICTED = 2;

const NOT_IN_GROUP = 9;
const INVALID_DATA = 2;
const FORBIDDEN_SEND = 247;
const NO_RIGHT = 248;
const NOT_EXIST = 253;

type Transport = 'tcp' | 'ws';

describe('group management over TCP and WebSocket', () => {
  let t: TestServer;
  let mobiles = 0;

  before(async () => {
    t = await TestServer.start({ overrides: { 'group.max.members': MAX_MEMBERS } });
  });
  after(() => t.stop());

  const mobileByUid = new Map<string, string>();

  /** A new user with one device on `transport`. */
  async function user(transport: Transport): Promise<GroupDevice> {
    mobiles += 1;
    const mobile = `1560000${String(mobiles).padStart(4, '0')}`;
    const login = await t.login(mobile, `dev-${mobiles}-${transport}`);
    mobileByUid.set(login.userId, mobile);
    return new GroupDevice(await t.connect(transport, login), login.userId);
  }

  /** Another device of an existing user. */
  async function secondDevice(of: GroupDevice, transport: Transport): Promise<GroupDevice> {
    const login = await t.login(mobileByUid.get(of.uid)!, `second-${of.uid}-${transport}`);
    return new GroupDevice(await t.connect(transport, login), of.uid);
  }

  /** Creates a group owned by `owner` with `members`; everyone's inbox cursor moves past the create notice. */
  async function group(owner: GroupDevice, members: GroupDevice[], type = 0): Promise<string> {
    const gid = await owner.create('crew', members.map((m) => m.uid), type);
    for (const device of [owner, ...members]) await device.news();
    return gid;
  }

  for (const transport of ['tcp', 'ws'] as const) {
    const other: Transport = transport === 'tcp' ? 'ws' : 'tcp';

    describe(`operator on ${transport}`, () => {
      test('add: newcomers and members get the 105 notice, the member list and count grow, plain members may add', async () => {
        const owner = await user(transport);
        const member = await user(other);
        const newcomer = await user(other);
        const invitee = await user(transport);
        const gid = await group(owner, [member]);
        const before = await owner.members(gid);

        assert.equal((await owner.add(gid, [newcomer.uid])).ok, true);
        for (const device of [newcomer, member]) {
          const notice = await device.expectNotice(105);
          assert.deepEqual(notice.data, { g: gid, o: owner.uid, ms: [newcomer.uid] });
          assert.equal(notice.from, owner.uid);
        }
        assert.deepEqual((await owner.expectNotice(105)).data, { g: gid, o: owner.uid, ms: [newcomer.uid] }, 'the operating device is told too: clients keep no copy of server-made messages');

        const listed = await newcomer.members(gid);
        assert.deepEqual(listed.map((m) => [m.memberId, m.type]).sort(), [[owner.uid, OWNER], [member.uid, MEMBER], [newcomer.uid, MEMBER]].sort());
        const added = listed.find((m) => m.memberId === newcomer.uid)!;
        assert.ok(added.updateDt > Math.max(...before.map((m) => m.updateDt)), 'the new entry is newer than the version held');
        assert.equal((await member.info(gid))!.memberCount, 3);

        assert.equal((await member.add(gid, [invitee.uid])).ok, true, 'a plain member of a normal group may add');
        assert.deepEqual((await invitee.expectNotice(105)).data, { g: gid, o: member.uid, ms: [invitee.uid] });
        assert.deepEqual((await member.expectNotice(105)).data, { g: gid, o: member.uid, ms: [invitee.uid] }, 'the operating device too');
        assert.equal((await newcomer.sendText(gid, 'hello all')).ok, true, 'a newcomer may talk');
        assert.deepEqual((await invitee.news()).map((m) => m.content.searchableContent), ['hello all']);

        assert.equal((await owner.add(gid, [member.uid])).ok, true, 'adding a member again changes nothing');
        assert.deepEqual(await member.notices(), []);
      });

      test('add refusals: unknown users, non-members, restricted groups, the member limit, bad input', async () => {
        const owner = await user(transport);
        const member = await user(transport);
        const outsider = await user(other);
        const [a, b, c, d] = [await user(other), await user(other), await user(other), await user(other)];
        const gid = await group(owner, [member, a, b]);

        assertRefused(await owner.add(gid, ['nosuchuser']), NOT_EXIST, 'unknown user');
        assertRefused(await owner.add(gid, [c.uid, 'nosuchuser']), NOT_EXIST, 'one unknown user among known ones');
        assertRefused(await outsider.add(gid, [c.uid]), NOT_IN_GROUP, 'a non-member adding');
        assertRefused(await owner.add('nosuchgroup', [c.uid]), NOT_EXIST, 'unknown group');
        assertRefused(await owner.add(gid, []), INVALID_DATA, 'nobody to add');
        assertRefused(await owner.add(gid, [c.uid, d.uid, outsider.uid]), INVALID_DATA, `more than ${MAX_MEMBERS} members`);
        assert.equal((await owner.members(gid)).length, 4, 'refusals change nothing');
        assert.deepEqual(await c.notices(), []);

        assert.equal((await owner.add(gid, [c.uid, d.uid])).ok, true, `up to ${MAX_MEMBERS} members`);
        assertRefused(await owner.add(gid, [outsider.uid]), INVALID_DATA, 'the group is full');

        const restricted = await group(owner, [member], RESTRICTED);
        assertRefused(await member.add(restricted, [outsider.uid]), NO_RIGHT, 'a plain member of a restricted group');
        assert.equal((await owner.managers(restricted, [member.uid], true)).ok, true);
        assert.equal((await member.add(restricted, [outsider.uid])).ok, true, 'a manager of a restricted group');

        if (owner.client instanceof TcpImClient) {
          assert.equal((await owner.client.request('GAM', Buffer.from([0xff, 0x01]))).errorCode, INVALID_DATA, 'garbage body');
        } else {
          assert.equal((await (owner.client as import('@fscpush/testkit').WsImClient).request('GAM', { groupId: gid })).content, '', 'no groupMembers');
        }
      });

      test('kick: the kicked get the 106 notice, then an empty member list and no more group messages', async () => {
        const owner = await user(transport);
        const kicked = await user(other);
        const kickedPhone = await secondDevice(kicked, transport);
        const stays = await user(other);
        const gid = await group(owner, [kicked, stays]);
        await kickedPhone.news();
        const version = Math.max(...(await stays.members(gid)).map((m) => m.updateDt));

        assert.equal((await owner.kick(gid, [kicked.uid])).ok, true);
        for (const device of [kicked, kickedPhone, stays]) {
          assert.deepEqual((await device.expectNotice(106)).data, { g: gid, o: owner.uid, ms: [kicked.uid] });
        }
        assert.deepEqual(await kicked.members(gid), [], 'the kicked user\'s GPGM is [] (the web client deletes the conversation)');
        const remaining = await stays.members(gid);
        assert.deepEqual(remaining.map((m) => m.memberId).sort(), [owner.uid, stays.uid].sort());
        const changed = await stays.members(gid, version);
        assert.deepEqual(changed.map((m) => [m.memberId, m.type]), [[kicked.uid, REMOVED]], 'an incremental list names the removed member');
        assert.ok(changed[0]!.updateDt > version);
        assert.equal((await stays.info(gid))!.memberCount, 2);

        assert.equal((await owner.sendText(gid, 'after the kick')).ok, true);
        assert.deepEqual((await stays.news()).map((m) => m.content.searchableContent), ['after the kick']);
        assert.deepEqual(await kicked.news(), [], 'the kicked user receives no more group messages');
        assert.deepEqual(await kickedPhone.news(), []);
        assertRefused(await kicked.sendText(gid, 'let me back'), NOT_IN_GROUP, 'the kicked user sending');
        assertRefused(await kicked.kick(gid, [stays.uid]), NOT_IN_GROUP, 'the kicked user kicking');
        assertRefused(await owner.kick(gid, [kicked.uid]), NOT_IN_GROUP, 'kicking a former member again');

        assert.equal((await owner.add(gid, [kicked.uid])).ok, true, 'a kicked user can be added again');
        assert.deepEqual((await kicked.expectNotice(105)).data, { g: gid, o: owner.uid, ms: [kicked.uid] });
        assert.ok((await kicked.members(gid)).some((m) => m.memberId === kicked.uid && m.type === MEMBER));
      });

      test('kick refusals: managers kick plain members only, members kick nobody, nobody kicks the owner', async () => {
        const owner = await user(transport);
        const manager = await user(transport);
        const otherManager = await user(other);
        const member = await user(other);
        const target = await user(other);
        const outsider = await user(other);
        const gid = await group(owner, [manager, otherManager, member, target]);
        assert.equal((await owner.managers(gid, [manager.uid, otherManager.uid], true)).ok, true);

        assertRefused(await manager.kick(gid, [otherManager.uid]), NO_RIGHT, 'a manager kicking a manager');
        assertRefused(await manager.kick(gid, [owner.uid]), NO_RIGHT, 'a manager kicking the owner');
        assertRefused(await manager.kick(gid, [target.uid, owner.uid]), NO_RIGHT, 'a list with the owner in it');
        assertRefused(await member.kick(gid, [target.uid]), NO_RIGHT, 'a plain member kicking');
        assertRefused(await owner.kick(gid, [owner.uid]), NO_RIGHT, 'the owner kicking itself');
        assertRefused(await owner.kick(gid, [outsider.uid]), NOT_IN_GROUP, 'kicking a non-member');
        assertRefused(await owner.kick(gid, ['nosuchuser']), NOT_EXIST, 'kicking an unknown user');
        assertRefused(await outsider.kick(gid, [target.uid]), NOT_IN_GROUP, 'a non-member kicking');
        assert.equal((await owner.members(gid)).length, 5, 'refusals change nothing');

        assert.equal((await manager.kick(gid, [target.uid])).ok, true, 'a manager kicks a plain member');
        assert.deepEqual((await target.expectNotice(106)).data, { g: gid, o: manager.uid, ms: [target.uid] });
        assert.equal((await owner.kick(gid, [otherManager.uid])).ok, true, 'the owner kicks a manager');
        assert.deepEqual((await owner.members(gid)).map((m) => m.memberId).sort(), [owner.uid, manager.uid, member.uid].sort());
      });

      test('quit: the 107 notice reaches the members and the quitter\'s other devices; the owner may not quit', async () => {
        const owner = await user(other);
        const quitter = await user(transport);
        const quitterOther = await secondDevice(quitter, other);
        const stays = await user(other);
        const outsider = await user(transport);
        const gid = await group(owner, [quitter, stays]);
        await quitterOther.news();

        assert.equal((await quitter.quit(gid)).ok, true);
        for (const device of [owner, stays, quitterOther]) {
          const notice = await device.expectNotice(107);
          assert.deepEqual(notice.data, { g: gid, o: quitter.uid });
          assert.equal(notice.from, quitter.uid);
        }
        assert.deepEqual((await quitter.expectNotice(107)).data, { g: gid, o: quitter.uid }, 'the quitting device is told too');
        assert.deepEqual(await quitter.members(gid), []);
        assert.deepEqual((await owner.members(gid)).map((m) => m.memberId).sort(), [owner.uid, stays.uid].sort());

        assert.equal((await owner.sendText(gid, 'bye then')).ok, true);
        assert.deepEqual(await quitterOther.news(), [], 'a quitter receives no more group messages');
        assertRefused(await quitter.quit(gid), NOT_IN_GROUP, 'quitting twice');
        assertRefused(await outsider.quit(gid), NOT_IN_GROUP, 'a non-member quitting');
        assertRefused(await quitter.quit('nosuchgroup'), NOT_EXIST, 'an unknown group');

        const owned = await group(quitter, [stays]);
        assertRefused(await quitter.quit(owned), NO_RIGHT, 'the owner quitting');
        assert.equal((await stays.members(owned)).length, 2);
      });

      test('dismiss: owner only; the 108 notice reaches everyone; afterwards every operation answers 253', async () => {
        const owner = await user(transport);
        const ownerOther = await secondDevice(owner, other);
        const manager = await user(other);
        const member = await user(transport);
        const outsider = await user(other);
        const gid = await group(owner, [manager, member]);
        await ownerOther.news();
        assert.equal((await owner.managers(gid, [manager.uid], true)).ok, true);
        for (const device of [manager, member, ownerOther]) await device.news();

        assertRefused(await manager.dismiss(gid), NO_RIGHT, 'a manager dismissing');
        assertRefused(await member.dismiss(gid), NO_RIGHT, 'a member dismissing');
        assertRefused(await outsider.dismiss(gid), NOT_IN_GROUP, 'a non-member dismissing');

        assert.equal((await owner.dismiss(gid)).ok, true);
        for (const device of [manager, member, ownerOther]) assert.deepEqual((await device.expectNotice(108)).data, { g: gid, o: owner.uid });
        assert.deepEqual(await member.members(gid), [], 'GPGM of a dismissed group is []');
        assert.equal(await member.info(gid), undefined, 'GPGI no longer lists it');

        assertRefused(await owner.sendText(gid, 'anyone?'), NOT_EXIST, 'sending');
        assertRefused(await owner.add(gid, [outsider.uid]), NOT_EXIST, 'adding');
        assertRefused(await owner.kick(gid, [member.uid]), NOT_EXIST, 'kicking');
        assertRefused(await member.quit(gid), NOT_EXIST, 'quitting');
        assertRefused(await owner.dismiss(gid), NOT_EXIST, 'dismissing again');
        assertRefused(await owner.modify(gid, NAME, 'revived'), NOT_EXIST, 'renaming');
        assertRefused(await owner.transfer(gid, member.uid), NOT_EXIST, 'transferring');
        assertRefused(await member.alias(gid, 'me'), NOT_EXIST, 'setting an alias');
        assertRefused(await owner.managers(gid, [member.uid], true), NOT_EXIST, 'appointing managers');
        assert.deepEqual(await member.news(), [], 'nothing was stored after the dismiss');
      });

      test('modify: owner and managers rename, change portrait and extra; notices 110 and 112; bad values refused', async () => {
        const owner = await user(transport);
        const manager = await user(other);
        const member = await user(other);
        const outsider = await user(transport);
        const gid = await group(owner, [manager, member]);
        assert.equal((await owner.managers(gid, [manager.uid], true)).ok, true);
        await member.news();
        const before = (await member.info(gid))!;

        assert.equal((await owner.modify(gid, NAME, '  night shift ')).ok, true);
        assert.deepEqual((await member.expectNotice(110)).data, { g: gid, o: owner.uid, n: 'night shift' });
        const renamed = (await member.info(gid))!;
        assert.equal(renamed.name, 'night shift');
        assert.ok(renamed.updateDt > before.updateDt, 'the group info version moves on');

        assert.equal((await manager.modify(gid, PORTRAIT, 'https://example.com/p.png')).ok, true, 'a manager edits');
        assert.deepEqual((await member.expectNotice(112)).data, { g: gid, o: manager.uid, n: 'https://example.com/p.png' });
        assert.equal((await owner.modify(gid, EXTRA, '{"topic":"ops"}')).ok, true);
        const edited = (await member.info(gid))!;
        assert.deepEqual([edited.portrait, edited.extra], ['https://example.com/p.png', '{"topic":"ops"}']);

        assertRefused(await member.modify(gid, NAME, 'mine now'), NO_RIGHT, 'a plain member renaming');
        assertRefused(await outsider.modify(gid, NAME, 'mine now'), NOT_IN_GROUP, 'a non-member renaming');
        assertRefused(await owner.modify(gid, NAME, '   '), INVALID_DATA, 'an empty name');
        assertRefused(await owner.modify(gid, NAME, 'x'.repeat(257)), INVALID_DATA, 'a too long name');
        assertRefused(await owner.modify(gid, 9, 'what'), INVALID_DATA, 'an unknown info type');
        assertRefused(await owner.modify(gid, MUTE, 'yes'), INVALID_DATA, 'a mute value other than "1"/"0"');
        assertRefused(await owner.modify('nosuchgroup', NAME, 'x'), NOT_EXIST, 'an unknown group');
        assert.equal((await member.info(gid))!.name, 'night shift', 'refusals change nothing');
        assert.deepEqual(await member.notices(), []);
      });

      test('mute: notice 113; plain members may not send (247) but still manage themselves; owner and managers may send', async () => {
        const owner = await user(transport);
        const manager = await user(other);
        const member = await user(other);
        const memberOther = await secondDevice(member, transport);
        const gid = await group(owner, [manager, member]);
        assert.equal((await owner.managers(gid, [manager.uid], true)).ok, true);
        for (const device of [manager, member, memberOther]) await device.news();

        assertRefused(await member.modify(gid, MUTE, '1'), NO_RIGHT, 'a plain member muting');
        assert.equal((await owner.modify(gid, MUTE, '1')).ok, true);
        for (const device of [member, memberOther]) assert.deepEqual((await device.expectNotice(113)).data, { g: gid, o: owner.uid, n: '1' });
        assertRefused(await member.sendText(gid, 'can I talk?'), FORBIDDEN_SEND, 'a plain member of a muted group');
        assertRefused(await memberOther.sendText(gid, 'can I talk?'), FORBIDDEN_SEND, 'from another transport too');
        assert.equal((await manager.sendText(gid, 'managers talk')).ok, true);
        assert.equal((await owner.sendText(gid, 'owners talk')).ok, true);

        assert.equal((await member.alias(gid, 'quiet one')).ok, true, 'a muted member still sets its alias');
        assert.deepEqual((await owner.expectNotice(111)).data, { g: gid, o: member.uid, n: 'quiet one' });
        assert.deepEqual((await memberOther.notices()).map((n) => [n.type, n.from]), [[111, member.uid]], 'the member\'s other device syncs it');

        assert.equal((await manager.modify(gid, MUTE, '0')).ok, true, 'a manager unmutes');
        assert.deepEqual((await memberOther.expectNotice(113)).data, { g: gid, o: manager.uid, n: '0' });
        assert.equal((await member.sendText(gid, 'free again')).ok, true);

        assert.equal((await owner.modify(gid, MUTE, '1')).ok, true);
        assert.equal((await member.quit(gid)).ok, true, 'a muted member may still quit');
        assert.deepEqual((await memberOther.notices()).map((n) => n.type), [113, 107]);
      });

      test('transfer: the owner hands over (109); the old owner becomes a member; refusals change nothing', async () => {
        const owner = await user(transport);
        const heir = await user(other);
        const member = await user(transport);
        const outsider = await user(other);
        const gid = await group(owner, [heir, member]);

        assertRefused(await member.transfer(gid, member.uid), NO_RIGHT, 'a member taking over');
        assertRefused(await owner.transfer(gid, outsider.uid), NOT_IN_GROUP, 'to a non-member');
        assertRefused(await owner.transfer(gid, 'nosuchuser'), NOT_EXIST, 'to an unknown user');
        assertRefused(await owner.transfer(gid, owner.uid), INVALID_DATA, 'to itself');
        assertRefused(await outsider.transfer(gid, outsider.uid), NOT_IN_GROUP, 'by a non-member');
        assert.equal((await heir.info(gid))!.owner, owner.uid, 'refusals change nothing');

        assert.equal((await owner.transfer(gid, heir.uid)).ok, true);
        for (const device of [heir, member]) assert.deepEqual((await device.expectNotice(109)).data, { g: gid, o: owner.uid, m: heir.uid });
        assert.equal((await member.info(gid))!.owner, heir.uid);
        const roles = new Map((await member.members(gid)).map((m) => [m.memberId, m.type]));
        assert.deepEqual([roles.get(heir.uid), roles.get(owner.uid)], [OWNER, MEMBER]);

        assertRefused(await owner.dismiss(gid), NO_RIGHT, 'the old owner can no longer dismiss');
        assertRefused(await owner.transfer(gid, member.uid), NO_RIGHT, 'nor transfer');
        assertRefused(await heir.quit(gid), NO_RIGHT, 'the new owner may not quit');
        assert.equal((await owner.quit(gid)).ok, true, 'the old owner may quit now');
        assert.equal((await heir.dismiss(gid)).ok, true, 'the new owner dismisses');
      });

      test('member alias: any member sets its own (111); shown in the member list; bad input refused', async () => {
        const owner = await user(other);
        const member = await user(transport);
        const outsider = await user(transport);
        const gid = await group(owner, [member]);
        const version = Math.max(...(await owner.members(gid)).map((m) => m.updateDt));

        assert.equal((await member.alias(gid, 'Mimi')).ok, true);
        assert.deepEqual((await owner.expectNotice(111)).data, { g: gid, o: member.uid, n: 'Mimi' });
        const changed = await owner.members(gid, version);
        assert.deepEqual(changed.map((m) => [m.memberId, m.alias]), [[member.uid, 'Mimi']], 'only the changed entry is newer');
        assert.ok(changed[0]!.updateDt > version);

        assertRefused(await outsider.alias(gid, 'sneaky'), NOT_IN_GROUP, 'a non-member');
        assertRefused(await member.alias(gid, 'x'.repeat(129)), INVALID_DATA, 'a too long alias');
        assertRefused(await member.alias('nosuchgroup', 'Mimi'), NOT_EXIST, 'an unknown group');
        assert.equal((await owner.members(gid)).find((m) => m.memberId === member.uid)!.alias, 'Mimi');

        assert.equal((await member.alias(gid, '')).ok, true, 'an empty alias clears it');
        assert.equal((await owner.members(gid)).find((m) => m.memberId === member.uid)!.alias, '');
      });

      test('managers: the owner appoints and removes managers (117); only then may they kick', async () => {
        const owner = await user(transport);
        const manager = await user(other);
        const member = await user(other);
        const target = await user(transport);
        const outsider = await user(other);
        const gid = await group(owner, [manager, member, target]);

        assert.equal((await owner.managers(gid, [manager.uid], true)).ok, true);
        for (const device of [manager, member]) assert.deepEqual((await device.expectNotice(117)).data, { g: gid, o: owner.uid, ms: [manager.uid], n: '1' });
        assert.equal((await member.members(gid)).find((m) => m.memberId === manager.uid)!.type, MANAGER);

        assertRefused(await manager.managers(gid, [member.uid], true), NO_RIGHT, 'a manager appointing');
        assertRefused(await member.managers(gid, [member.uid], true), NO_RIGHT, 'a member appointing itself');
        assertRefused(await outsider.managers(gid, [member.uid], true), NOT_IN_GROUP, 'a non-member appointing');
        assertRefused(await owner.managers(gid, [outsider.uid], true), NOT_IN_GROUP, 'a non-member appointed');
        assertRefused(await owner.managers(gid, ['nosuchuser'], true), NOT_EXIST, 'an unknown user appointed');
        assertRefused(await owner.managers(gid, [owner.uid], true), INVALID_DATA, 'the owner appointed');
        assertRefused(await owner.managers(gid, [], true), INVALID_DATA, 'nobody appointed');
        assert.deepEqual((await owner.members(gid)).filter((m) => m.type === MANAGER).map((m) => m.memberId), [manager.uid], 'refusals change nothing');

        assert.equal((await manager.kick(gid, [target.uid])).ok, true, 'a manager kicks');
        assert.equal((await owner.managers(gid, [manager.uid], false)).ok, true);
        assert.deepEqual((await member.notices()).map((n) => [n.type, n.data['n'] ?? null]), [[106, null], [117, '0']]);
        assert.equal((await member.members(gid)).find((m) => m.memberId === manager.uid)!.type, MEMBER);
        assertRefused(await manager.kick(gid, [member.uid]), NO_RIGHT, 'a former manager kicking');
      });
    });
  }
});
