import assert from 'node:assert/strict';
import { Proto, type WebMessage } from '@fscpush/protocol';
import { TcpImClient, WsImClient, type ChatClient } from '@fscpush/testkit';

/** A group operation's answer: TCP carries the error byte, WebSocket only knows success or "". */
export interface Outcome {
  ok: boolean;
  code?: number;
}

export interface MemberEntry {
  memberId: string;
  alias: string;
  type: number;
  updateDt: number;
}

export interface GroupEntry {
  target: string;
  name: string;
  portrait: string;
  owner: string;
  extra: string;
  memberCount: number;
  updateDt: number;
}

export interface Notice {
  type: number;
  from: string;
  data: Record<string, unknown>;
}

const GROUP = 1;

/**
 * One device doing group management the way its client does: the Android SDK's protobuf bodies over TCP,
 * the web client's JSON over WebSocket. Keeps an inbox cursor so tests read what arrived since last time.
 */
export class GroupDevice {
  readonly client: ChatClient;
  readonly uid: string;
  cursor = '0';

  constructor(client: ChatClient, uid: string) {
    this.client = client;
    this.uid = uid;
  }

  get transport(): 'tcp' | 'ws' {
    return this.client.transport;
  }

  async create(name: string, members: string[], type = 0): Promise<string> {
    if (this.client instanceof TcpImClient) {
      const body = Proto.CreateGroupRequest.encode({
        group: { groupInfo: { name, type }, members: [this.uid, ...members].map((m) => ({ memberId: m, type: m === this.uid ? 2 : 0 })) },
      });
      const ack = await this.client.request('GC', body);
      assert.equal(ack.errorCode, 0, 'GC');
      return ack.body.toString('utf8');
    }
    const ack = await this.ws.requestJson('GC', {
      groupInfo: { target: '', name, portrait: '', owner: '', type, memberCount: 0, extra: '', updateDt: 0 },
      groupMembers: [this.uid, ...members].map((m) => ({ groupId: '', memberId: m, alias: '', type: m === this.uid ? 2 : 0, updateDt: 0 })),
    });
    assert.equal(ack.ok, true, 'GC');
    return (ack.json as { result: string }).result;
  }

  add(gid: string, members: string[]): Promise<Outcome> {
    return this.op(
      'GAM',
      () => Proto.AddGroupMemberRequest.encode({ groupId: gid, addedMember: members.map((m) => ({ memberId: m, type: 0 })) }),
      { groupId: gid, groupMembers: members.map((m) => ({ groupId: gid, memberId: m, alias: '', type: 0, updateDt: 0 })) },
    );
  }

  kick(gid: string, members: string[]): Promise<Outcome> {
    return this.op('GKM', () => Proto.RemoveGroupMemberRequest.encode({ groupId: gid, removedMember: members }), { groupId: gid, memberIds: members });
  }

  quit(gid: string): Promise<Outcome> {
    return this.op('GQ', () => Proto.QuitGroupRequest.encode({ groupId: gid }), { groupId: gid });
  }

  dismiss(gid: string): Promise<Outcome> {
    return this.op('GD', () => Proto.DismissGroupRequest.encode({ groupId: gid }), { groupId: gid });
  }

  modify(gid: string, type: number, value: string): Promise<Outcome> {
    return this.op('GMI', () => Proto.ModifyGroupInfoRequest.encode({ groupId: gid, type, value }), { groupId: gid, type, value });
  }

  transfer(gid: string, newOwner: string): Promise<Outcome> {
    return this.op('GTG', () => Proto.RemoveGroupMemberRequest.encode({ groupId: gid, removedMember: [newOwner] }), { groupId: gid, newOwner });
  }

  alias(gid: string, alias: string): Promise<Outcome> {
    return this.op('GMA', () => Proto.ModifyGroupInfoRequest.encode({ groupId: gid, type: 0, value: alias }), { groupId: gid, alias });
  }

  managers(gid: string, members: string[], isManager: boolean): Promise<Outcome> {
    return this.op(
      'GSM',
      () => Proto.AddGroupMemberRequest.encode({ groupId: gid, addedMember: members.map((m) => ({ memberId: m, type: isManager ? 1 : 0 })) }),
      { groupId: gid, memberIds: members, isManager },
    );
  }

  async members(gid: string, version = 0): Promise<MemberEntry[]> {
    if (this.client instanceof TcpImClient) {
      const ack = await this.client.request('GPGM', Proto.PullGroupMemberRequest.encode({ target: gid, head: version }));
      assert.equal(ack.errorCode, 0, 'GPGM');
      return Proto.PullGroupMemberResult.decode(ack.body).member.map((m) => ({ memberId: m.memberId, alias: m.alias ?? '', type: m.type, updateDt: Number(m.updateDt ?? 0) }));
    }
    const ack = await this.ws.requestJson('GPGM', { groupId: gid, version });
    assert.equal(ack.ok, true, 'GPGM');
    return (ack.json as MemberEntry[]).map((m) => ({ memberId: m.memberId, alias: m.alias, type: m.type, updateDt: m.updateDt }));
  }

  async info(gid: string): Promise<GroupEntry | undefined> {
    if (this.client instanceof TcpImClient) {
      const ack = await this.client.request('GPGI', Proto.PullUserRequest.encode({ request: [{ uid: gid }] }));
      assert.equal(ack.errorCode, 0, 'GPGI');
      const [g] = Proto.PullGroupInfoResult.decode(ack.body).info;
      return g && {
        target: g.targetId ?? '',
        name: g.name,
        portrait: g.portrait ?? '',
        owner: g.owner ?? '',
        extra: g.extra ?? '',
        memberCount: g.memberCount ?? 0,
        updateDt: Number(g.updateDt ?? 0),
      };
    }
    const ack = await this.ws.requestJson('GPGI', [gid]);
    assert.equal(ack.ok, true, 'GPGI');
    return (ack.json as GroupEntry[])[0];
  }

  async sendText(gid: string, text: string): Promise<Outcome> {
    const sent = await this.client.sendText({ type: GROUP, target: gid }, text);
    return sent.errorCode === undefined ? { ok: sent.ok } : { ok: sent.ok, code: sent.errorCode };
  }

  /** Every message that reached this user's inbox since the last call (the device's own sends excluded). */
  async news(): Promise<WebMessage[]> {
    const messages: WebMessage[] = [];
    for (let round = 0; round < 100; round++) {
      const result = await this.client.pull(this.cursor, 0);
      assert.equal(result.ok, true, 'MP');
      messages.push(...result.messages);
      // until a pull brings nothing new: that one was answered from the store (see harness pullAll)
      const done = result.current === this.cursor;
      this.cursor = result.current;
      if (done) return messages;
    }
    throw new Error('pull did not converge');
  }

  /** The group notices among news(). */
  async notices(): Promise<Notice[]> {
    return (await this.news()).filter((m) => m.content.type >= 104 && m.content.type <= 117).map(decodeNotice);
  }

  /**
   * Expects exactly one new notice of `type`: an MN announced it to this device and a pull returns it.
   * Returns its decoded payload.
   */
  async expectNotice(type: number): Promise<Notice> {
    const held = BigInt(this.cursor);
    // as the clients do: the MN first (it names the first seq the device was not given), then the pull;
    // the operation's answer may come before it, and a pull in between would make the MN needless
    for (;;) {
      const notify = await this.client.waitForNotify(3000);
      if (BigInt(notify.head) > held) break;
    }
    const notices = await this.notices();
    const matching = notices.filter((n) => n.type === type);
    assert.equal(matching.length, 1, `${this.transport} device of ${this.uid} expected one ${type} notice, got ${JSON.stringify(notices)}`);
    return matching[0]!;
  }

  private get ws(): WsImClient {
    assert.ok(this.client instanceof WsImClient);
    return this.client;
  }

  private async op(sub: 'GAM' | 'GKM' | 'GQ' | 'GD' | 'GMI' | 'GTG' | 'GMA' | 'GSM', tcpBody: () => Uint8Array, json: object): Promise<Outcome> {
    if (this.client instanceof TcpImClient) {
      const ack = await this.client.request(sub, tcpBody());
      if (ack.errorCode === 0) assert.equal(ack.body.byteLength, 0, `${sub} succeeds with an empty result`);
      return { ok: ack.errorCode === 0, code: ack.errorCode };
    }
    const ack = await this.ws.request(sub, json);
    if (ack.content === '') return { ok: false };
    assert.deepEqual(JSON.parse(ack.content), { code: 200, message: 'success' }, `${sub} reply`);
    return { ok: true };
  }
}

export function decodeNotice(m: WebMessage): Notice {
  return { type: m.content.type, from: m.from, data: JSON.parse(Buffer.from(m.content.binaryContent, 'base64').toString('utf8')) as Record<string, unknown> };
}

/** Asserts a refusal: the error byte over TCP, "" over WebSocket. */
export function assertRefused(outcome: Outcome, code: number, what: string): void {
  assert.equal(outcome.ok, false, `${what} must be refused`);
  if (outcome.code !== undefined) assert.equal(outcome.code, code, `${what}: error code`);
}
