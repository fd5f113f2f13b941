import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AndroidApp, RequestIdCounter, WebApp, type AppAccount, type AppEndpoint, type ClientApp, type StoredMessage,
} from '@fscpush/testkit';

/** Where the suite runs: embedded mode (harness.ts) or cluster mode (cluster-harness.ts). */
export interface ConformanceEnv {
  /** Logs one device in as its app does: a verification code, then /login. */
  login(mobile: string, clientId: string): Promise<AppAccount>;
  /** The connector the n-th device connects to. */
  endpoint(n: number): AppEndpoint;
  stop(): Promise<void>;
}

const PRIVATE = 0;
const TEXT = 1;
const GROUP = 1;
const RECALLED = 80;
const TIP = 90;
const GROUP_CREATED = 104;
const GROUP_RENAMED = 110;
const BACKLOG = 1000;
const BACKLOG_TEXT_BYTES = 900;
/** Counters start here so that every app's request ids wrap past 65535 during the suite. */
const REQUEST_ID_START = 65_530;
/** How long a device may take to show what it is owed before the suite reports what is missing. */
const PATIENCE_MS = 60_000;
const BACKLOG_PATIENCE_MS = 180_000;

/** What each user's devices must show: message ids per origin ("stream"), in the order they were made. */
class Ledger {
  readonly #byUser = new Map<string, { id: string; stream: string }[]>();

  add(users: readonly string[], id: string, stream: string): void {
    for (const uid of users) {
      const list = this.#byUser.get(uid) ?? [];
      list.push({ id, stream });
      this.#byUser.set(uid, list);
    }
  }

  ids(uid: string): string[] {
    return (this.#byUser.get(uid) ?? []).map((e) => e.id);
  }

  streams(uid: string): Map<string, string[]> {
    const streams = new Map<string, string[]>();
    for (const { id, stream } of this.#byUser.get(uid) ?? []) streams.set(stream, [...(streams.get(stream) ?? []), id]);
    return streams;
  }
}

function label(app: ClientApp): string {
  return `${app.kind} app ${app.account.clientId}`;
}

/** Polls until `ready()` is true; on the deadline fails with `missing()` (a failure report, not a timing assertion). */
async function eventually(ready: () => boolean, missing: () => string, timeoutMs = PATIENCE_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > deadline) assert.fail(missing());
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function backlogText(sender: string, n: number): string {
  const head = `backlog|${sender}|${n}|`;
  return head.padEnd(BACKLOG_TEXT_BYTES, 'x');
}

function noticeGroup(m: StoredMessage): string | undefined {
  if (m.binaryContent === '') return undefined;
  try {
    return (JSON.parse(Buffer.from(m.binaryContent, 'base64').toString('utf8')) as { g?: string }).g;
  } catch {
    return undefined;
  }
}

/**
 * FShareChat's two clients, emulated on the wire with their own disciplines (AndroidApp, WebApp), through
 * login, 1:1 chat, a group and its notices, a friend request accepted the Android way, a 1,000-message
 * offline backlog, recall and reconnect. Every user has an Android phone and a browser tab.
 */
export function conformanceSuite(title: string, startEnv: () => Promise<ConformanceEnv>): void {
  describe(title, () => {
    let env: ConformanceEnv;
    const ledger = new Ledger();
    const apps = new Map<string, ClientApp>();
    const users = new Map<string, string>();
    let gid = '';
    let backlogIds: { a1: string[]; a2: string[] } = { a1: [], a2: [] };
    const app = (clientId: string): ClientApp => apps.get(clientId)!;
    const uid = (name: string): string => users.get(name)!;
    const devicesOf = (...names: string[]): ClientApp[] => [...apps.values()].filter((a) => names.some((n) => a.account.userId === uid(n)));
    const endpointOf = new Map<string, AppEndpoint>();

    /** Waits until every device shows every message the ledger holds for its user, then checks it exactly. */
    async function settled(devices: ClientApp[], timeoutMs = PATIENCE_MS): Promise<void> {
      const owed = (a: ClientApp) => ledger.ids(a.account.userId).filter((id) => !a.store.has(id));
      await eventually(
        () => devices.every((a) => owed(a).length === 0 || a.errors.length > 0),
        () => devices.map((a) => `${label(a)} misses ${owed(a).length} of ${ledger.ids(a.account.userId).length} (e.g. ${owed(a).slice(0, 3).join(', ')}); pulls ${JSON.stringify(a.pulls.slice(-3))}`).join('\n'),
        timeoutMs,
      );
      for (const a of devices) assertShowsExactly(a);
    }

    /** Every message of the ledger, nothing else, each once, each origin's messages in the order made. */
    function assertShowsExactly(a: ClientApp): void {
      assert.deepEqual(a.errors.map(String), [], `${label(a)}: its own requests (pulls after MN, FP after FN) succeed`);
      const expected = ledger.ids(a.account.userId);
      const shownIds = a.store.shown.map((m) => m.messageId);
      const duplicates = shownIds.filter((id, i) => shownIds.indexOf(id) !== i);
      assert.equal(duplicates.length, 0, `${label(a)} shows ${duplicates.length} messages twice (echoes of its own sends: ${a.store.echoes.length}), e.g. ${duplicates.slice(0, 3).join(', ')}`);
      // the web client stores the head of the last MN as its seq, while the pull after that MN may have
      // brought more: its pull on the next connect brings those again (it merges them by uid). Nothing else
      // comes twice, and the Android app, which stores the current its pulls reached, gets nothing twice.
      const again = a.pulls.filter((p) => a.kind === 'android' || p.trigger === 'notify').reduce((n, p) => n + p.repeats, 0);
      assert.equal(again, 0, `${label(a)} was given ${again} messages twice (${JSON.stringify(a.pulls.filter((p) => p.repeats > 0))})`);
      const shownSet = new Set(shownIds);
      const expectedSet = new Set(expected);
      const missing = expected.filter((id) => !shownSet.has(id));
      const extra = a.store.shown.filter((m) => !expectedSet.has(m.messageId));
      assert.equal(missing.length + extra.length, 0, `${label(a)} shows exactly what reached its user: ${missing.length} missing (e.g. ${missing.slice(0, 3).join(', ')}), ${extra.length} unexpected (e.g. ${JSON.stringify(extra.slice(0, 2))})`);
      for (const [stream, ids] of ledger.streams(a.account.userId)) {
        const set = new Set(ids);
        const order = shownIds.filter((id) => set.has(id));
        const firstOff = order.findIndex((id, i) => id !== ids[i]);
        assert.equal(firstOff, -1, `${label(a)}: ${stream} in order (first out of place at ${firstOff})`);
      }
    }

    /** A message the server composed: every device of `members` shows exactly one, the same. */
    async function serverMade(members: string[], match: (m: StoredMessage) => boolean, what: string): Promise<string> {
      const devices = devicesOf(...members);
      await eventually(
        () => devices.every((a) => a.store.shown.some(match)),
        () => `${what} never reached: ${devices.filter((a) => !a.store.shown.some(match)).map(label).join(', ')}`,
      );
      const ids = devices.map((a) => a.store.shown.filter(match).map((m) => m.messageId));
      for (const [i, found] of ids.entries()) assert.equal(found.length, 1, `${label(devices[i]!)} shows ${what} once`);
      assert.equal(new Set(ids.flat()).size, 1, `${what} is one message on every device`);
      ledger.add(members.map(uid), ids[0]![0]!, what);
      return ids[0]![0]!;
    }

    async function send(from: string, conversation: { type: number; target: string }, text: string, receivers: string[]): Promise<string> {
      const a = app(from);
      const id = await a.sendText(conversation, text);
      ledger.add([a.account.userId, ...receivers], id, `${from}'s sends`);
      return id;
    }

    before(async () => {
      env = await startEnv();
    });
    after(async () => {
      await Promise.allSettled([...apps.values()].map((a) => a.close()));
      await env.stop();
    });

    test('login: every device gets a code and logs in; the Android app pings before CONNECT_ACK and pulls from its stored seq', async () => {
      const people = [['alice', '13600070001'], ['bob', '13600070002'], ['carol', '13600070003']] as const;
      let n = 0;
      for (const [name, mobile] of people) {
        for (const kind of ['android', 'web'] as const) {
          const clientId = `${name}-${kind}`;
          const account = await env.login(mobile, clientId);
          users.set(name, account.userId);
          const requestIds = new RequestIdCounter(REQUEST_ID_START);
          const device = kind === 'android' ? new AndroidApp(account, { requestIds }) : new WebApp(account, { requestIds });
          apps.set(clientId, device);
          endpointOf.set(clientId, env.endpoint(n++));
        }
      }
      for (const [clientId, device] of apps) await device.connect(endpointOf.get(clientId)!);
      for (const device of apps.values()) {
        assert.equal(device.online, true);
        assert.deepEqual(device.pulls.map((p) => [p.after, p.count]), [['0', 0]], `${label(device)}: one pull on connect, from its stored seq, nothing yet`);
        if (device instanceof AndroidApp) {
          assert.equal(device.pingsBeforeAck.length, 1);
          assert.match(await device.pingsBeforeAck[0]!, /^ping back next interval \d+/, 'the PING sent before CONNECT_ACK is answered');
        }
      }
    });

    test('1:1 chat: every device of both users shows every message once and in order, the typing device its own copy', async () => {
      const [alice, bob] = [uid('alice'), uid('bob')];
      for (let i = 0; i < 3; i++) await send('alice-android', { type: PRIVATE, target: bob }, `a→b ${i}`, [bob]);
      for (let i = 0; i < 3; i++) await send('bob-web', { type: PRIVATE, target: alice }, `b→a ${i}`, [alice]);
      for (let i = 0; i < 2; i++) await send('alice-web', { type: PRIVATE, target: bob }, `a(web)→b ${i}`, [bob]);
      await send('bob-android', { type: PRIVATE, target: alice }, 'b(android)→a', [alice]);
      await settled(devicesOf('alice', 'bob'));
      for (const a of devicesOf('alice', 'bob')) {
        const locals = a.store.shown.filter((m) => m.local).map((m) => m.from);
        assert.ok(locals.every((f) => f === a.account.userId), `${label(a)} keeps copies of its own user's typing only`);
      }
      assert.equal(app('bob-web').store.shown.find((m) => m.text === 'a→b 0')?.target, alice, 'a private message shows the peer as target');
    });

    test('group create and group notices: every member device gets them, the operating device too', async () => {
      const members = ['alice', 'bob', 'carol'];
      gid = await app('alice-web').createGroup('conformance', [uid('bob'), uid('carol')]);
      assert.match(gid, /\S/);
      await serverMade(members, (m) => m.type === GROUP_CREATED && noticeGroup(m) === gid, 'the group-created notice (104)');
      await app('alice-android').renameGroup(gid, 'conformance renamed');
      await serverMade(members, (m) => m.type === GROUP_RENAMED && noticeGroup(m) === gid, 'the group-renamed notice (110)');
      await send('carol-android', { type: GROUP, target: gid }, 'hello group', [uid('alice'), uid('bob')]);
      await send('bob-web', { type: GROUP, target: gid }, 'hello from the web', [uid('alice'), uid('carol')]);
      await settled(devicesOf(...members));
      for (const a of devicesOf(...members)) {
        const groupMessages = a.store.shown.filter((m) => m.conversationType === GROUP);
        assert.ok(groupMessages.every((m) => m.target === gid), `${label(a)}: group messages carry the group as target`);
      }
    });

    test('friend request from the web, accepted by the Android app (FHR status 0): both friend lists, greeting and tip everywhere', async () => {
      const [alice, carol] = [uid('alice'), uid('carol')];
      await app('carol-web').requestFriend(alice, '我是carol');
      await eventually(
        () => devicesOf('alice').every((a) => a.friendRequestsFrom.has(carol)),
        () => `the request did not reach: ${devicesOf('alice').filter((a) => !a.friendRequestsFrom.has(carol)).map(label).join(', ')}`,
      );
      await app('alice-android').acceptFriend(carol);
      await eventually(
        () => devicesOf('alice').every((a) => a.friends.includes(carol)) && devicesOf('carol').every((a) => a.friends.includes(alice)),
        () => `FN and FP did not bring the new friend to: ${[...devicesOf('alice', 'carol')].filter((a) => a.friends.length === 0).map(label).join(', ')}`,
      );
      const pair = ['alice', 'carol'];
      await serverMade(pair, (m) => m.type === TEXT && m.from === carol && m.conversationType === PRIVATE && m.text === '我是carol', 'the greeting (the request\'s reason)');
      await serverMade(pair, (m) => m.type === TIP && m.from === alice && m.conversationType === PRIVATE, 'the new-friends tip (90)');
      await settled(devicesOf('alice', 'bob', 'carol'));
      for (const a of devicesOf('bob')) assert.deepEqual(a.friends, [], `${label(a)} made no friends`);
    });

    test('a 1,000-message offline backlog (~900-byte texts, several ~1 MB pulls) reaches both of bob\'s devices through each client\'s own pulls', async () => {
      const bob = uid('bob');
      await Promise.all(devicesOf('bob').map((a) => a.close()));
      const pullsBefore = new Map(devicesOf('bob').map((a) => [a, a.pulls.length]));
      const storedBefore = new Map(devicesOf('bob').map((a) => [a, a.resumeSeq]));
      const sendMany = async (from: 'alice-android' | 'alice-web') => {
        const ids: string[] = [];
        for (let n = 0; n < BACKLOG / 2; n++) ids.push(await send(from, { type: PRIVATE, target: bob }, backlogText(from, n), [bob]));
        return ids;
      };
      const [a1, a2] = await Promise.all([sendMany('alice-android'), sendMany('alice-web')]);
      backlogIds = { a1, a2 };
      for (const a of devicesOf('bob')) await a.connect(endpointOf.get(a.account.clientId)!);
      await settled(devicesOf('alice', 'bob'), BACKLOG_PATIENCE_MS);
      for (const a of devicesOf('bob')) {
        const pulls = a.pulls.slice(pullsBefore.get(a));
        const pages = pulls.filter((p) => p.count > 0);
        assert.equal(pages.reduce((sum, p) => sum + p.count, 0), BACKLOG, `${label(a)} pulled each backlog message once`);
        assert.ok(pages.length >= 2, `${label(a)} caught up in several pages (${JSON.stringify(pulls)})`);
        assert.deepEqual([pulls[0]!.trigger, pulls[0]!.after], ['connect', storedBefore.get(a)], `${label(a)} pulls once on connect, from its stored seq`);
        assert.ok(pulls.slice(1).every((p) => p.trigger === 'notify' && p.pullType === (a.kind === 'web' ? 1 : 0)), `${label(a)}: every later pull follows an MN`);
      }
    });

    test('recall from each app: every other device of both users gets RMN, every device shows the recall', async () => {
      const [fromAndroid, fromWeb] = [backlogIds.a1[0]!, backlogIds.a2[1]!];
      await app('alice-android').recall(fromAndroid);
      await app('alice-web').recall(fromWeb);
      const devices = devicesOf('alice', 'bob');
      const shownRecalled = (a: ClientApp, id: string) => a.store.get(id)?.type === RECALLED;
      await eventually(
        () => devices.every((a) => shownRecalled(a, fromAndroid) && shownRecalled(a, fromWeb)),
        () => `recall not shown on: ${devices.filter((a) => !shownRecalled(a, fromAndroid) || !shownRecalled(a, fromWeb)).map(label).join(', ')}`,
      );
      for (const a of devices) assert.ok(a.store.recalls.has(fromAndroid) && a.store.recalls.has(fromWeb), `${label(a)} learned of both recalls (RMN or its own MR)`);
      await settled(devices);
    });

    test('reconnect: every device comes back with what it had, gets nothing twice, and chats on', async () => {
      const all = [...apps.values()];
      for (const a of all) await a.close();
      for (const a of all) await a.connect(endpointOf.get(a.account.clientId)!);
      await send('bob-web', { type: PRIVATE, target: uid('alice') }, 'after reconnect', [uid('alice')]);
      await send('carol-android', { type: GROUP, target: gid }, 'group after reconnect', [uid('alice'), uid('bob')]);
      await settled(all);
      for (const a of devicesOf('alice', 'bob')) assert.equal(a.store.get(backlogIds.a1[0]!)?.type, RECALLED, `${label(a)} still shows the recall`);
      for (const a of all) {
        const last = a.pulls.at(-1)!;
        assert.equal(last.current, last.head, `${label(a)}: its last pull reached its inbox head`);
        assert.ok(a.requestIds.lastId < REQUEST_ID_START, `${label(a)}: its request ids wrapped after 65535 (now ${a.requestIds.lastId})`);
        if (a instanceof AndroidApp) {
          assert.equal(a.storedSeq, last.head, `${label(a)} stored the head it reached`);
          for (const ping of a.pingsBeforeAck) assert.match(await ping, /^ping back/);
        }
      }
      for (const a of devicesOf('alice')) assert.deepEqual(a.friends, [uid('carol')], `${label(a)}: friends after reconnect`);
      for (const a of devicesOf('carol')) assert.deepEqual(a.friends, [uid('alice')], `${label(a)}: friends after reconnect`);
    });
  });
}
