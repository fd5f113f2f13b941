import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Proto, ProtocolError } from '../src/index.ts';
import type { Message } from '../src/index.ts';

// A hand-written protobuf wire-format writer, independent of protobufjs, for golden vectors.
const VARINT = 0;
const LEN = 2;

function varint(value: bigint | number): number[] {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
}

function key(field: number, wireType: number): number[] {
  return varint((field << 3) | wireType);
}

function vint(field: number, value: bigint | number): number[] {
  return [...key(field, VARINT), ...varint(value)];
}

function lenDelim(field: number, bytes: number[] | string): number[] {
  const payload = typeof bytes === 'string' ? [...Buffer.from(bytes, 'utf8')] : bytes;
  return [...key(field, LEN), ...varint(payload.length), ...payload];
}

function hex(bytes: number[]): string {
  return Buffer.from(bytes).toString('hex');
}

function protoError(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ProtocolError, String(err));
    return err.code;
  }
  return 'no error';
}

test('the hand-written writer follows the spec examples', () => {
  assert.deepEqual(varint(300), [0xac, 0x02]);
  assert.deepEqual(varint(-1), [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
  assert.deepEqual(vint(1, 150), [0x08, 0x96, 0x01]);
  assert.deepEqual(lenDelim(2, 'testing'), [0x12, 0x07, 0x74, 0x65, 0x73, 0x74, 0x69, 0x6e, 0x67]);
});

test('NotifyMessage golden bytes', () => {
  const literal = '0800' + '10e807' + '1a027531'; // type=0, head=1000, target="u1"
  assert.equal(hex([...vint(1, 0), ...vint(2, 1000), ...lenDelim(3, 'u1')]), literal);
  assert.equal(Proto.NotifyMessage.encode({ type: 0, head: 1000n, target: 'u1' }).toString('hex'), literal);
  assert.deepEqual(Proto.NotifyMessage.decode(Buffer.from(literal, 'hex')), { type: 0, head: '1000', target: 'u1' });
});

test('ConnectAckPayload golden bytes, including a negative int64', () => {
  const bytes = [
    ...vint(1, 580000000000000123n), // msg_head
    ...vint(2, 0), // friend_head
    ...vint(3, -1), // friend_rq_head: ten-byte varint
    ...lenDelim(5, 'im.example'), // node_addr
    ...vint(6, 443), // node_port
    ...vint(7, 1700000000000n), // server_time
  ];
  assert.equal(hex(vint(6, 443)), '30bb03');
  const encoded = Proto.ConnectAckPayload.encode({
    msgHead: '580000000000000123', friendHead: 0, friendRqHead: -1n, nodeAddr: 'im.example', nodePort: 443, serverTime: 1700000000000,
  });
  assert.equal(encoded.toString('hex'), hex(bytes));
  assert.deepEqual(Proto.ConnectAckPayload.decode(Buffer.from(bytes)), {
    msgHead: '580000000000000123', friendHead: '0', friendRqHead: '-1', nodeAddr: 'im.example', nodePort: 443, serverTime: '1700000000000',
  });
  assert.deepEqual(Proto.ConnectAckPayload.decode(Buffer.alloc(0)), {});
});

const sampleMessage: Message = {
  conversation: { type: 1, target: 'g1', line: 0 },
  fromUser: 'u1',
  content: { type: 1, searchableContent: 'hi', data: Buffer.from([1, 2]), mentionedType: 1, mentionedTarget: ['u2'] },
  messageId: '580000000000000123',
  serverTimestamp: '1700000000000',
  to: ['a', 'b'],
};

function sampleMessageBytes(): number[] {
  return [
    ...lenDelim(1, [...vint(1, 1), ...lenDelim(2, 'g1'), ...vint(3, 0)]),
    ...lenDelim(2, 'u1'),
    ...lenDelim(3, [...vint(1, 1), ...lenDelim(2, 'hi'), ...lenDelim(5, [1, 2]), ...vint(10, 1), ...lenDelim(11, 'u2')]),
    ...vint(4, 580000000000000123n),
    ...vint(5, 1700000000000n),
    ...lenDelim(7, 'a'),
    ...lenDelim(7, 'b'),
  ];
}

test('Message golden bytes', () => {
  const bytes = sampleMessageBytes();
  assert.equal(Proto.Message.encode(sampleMessage).toString('hex'), hex(bytes));
  assert.deepEqual(Proto.Message.decode(Buffer.from(bytes)), sampleMessage);
});

test('PullMessageResult golden bytes', () => {
  const bytes = [...lenDelim(1, sampleMessageBytes()), ...lenDelim(1, sampleMessageBytes()), ...vint(2, 5), ...vint(3, 7)];
  const result = { message: [sampleMessage, sampleMessage], current: '5', head: '7' };
  assert.equal(Proto.PullMessageResult.encode(result).toString('hex'), hex(bytes));
  assert.deepEqual(Proto.PullMessageResult.decode(Buffer.from(bytes)), result);
  assert.deepEqual(Proto.PullMessageResult.decode(Buffer.from([...vint(2, 0), ...vint(3, 0)])), { message: [], current: '0', head: '0' });
});

test('decoded bytes fields own their memory', () => {
  const bytes = Buffer.from(sampleMessageBytes());
  const decoded = Proto.Message.decode(bytes);
  bytes.fill(0);
  assert.deepEqual([...decoded.content.data!], [1, 2]);
});

test('request/result round trips', () => {
  const group = {
    groupInfo: { targetId: 'g1', name: 'team', owner: 'u1', type: 0, memberCount: 2, updateDt: '10', memberUpdateDt: '11' },
    members: [{ memberId: 'u1', type: 2, updateDt: '1' }, { memberId: 'u2', alias: 'bob', type: 0 }],
  };
  assert.deepEqual(Proto.CreateGroupRequest.decode(Proto.CreateGroupRequest.encode({ group, toLine: [0] })), { group, toLine: [0] });
  const pull = { id: '9223372036854775807', type: 0, delay: '0' };
  assert.deepEqual(Proto.PullMessageRequest.decode(Proto.PullMessageRequest.encode(pull)), pull);
  const users = { result: [{ user: { uid: 'u1', displayName: '张三', mobile: '13800000000', updateDt: '5', gender: 0 }, code: 0 }] };
  assert.deepEqual(Proto.PullUserResult.decode(Proto.PullUserResult.encode(users)), users);
  const friendRequest = { fromUid: 'a', toUid: 'b', reason: 'hi', status: 0, updateDt: '3', fromReadStatus: true, toReadStatus: false };
  assert.deepEqual(Proto.FriendRequest.decode(Proto.FriendRequest.encode(friendRequest)), friendRequest);
  const minio = { domain: 'http://m', url: 'http://m/put?sig=1' };
  assert.deepEqual(Proto.GetMinioUploadUrlResult.decode(Proto.GetMinioUploadUrlResult.encode(minio)), minio);
  assert.equal(Proto.GetMinioUploadUrlRequest.encode({ mediaType: 1, key: 'k' }).toString('hex'), hex([...vint(1, 1), ...lenDelim(2, 'k')]));
  assert.deepEqual(Proto.INT64Buf.decode(Buffer.from(vint(1, 42))), { id: '42' });
  assert.deepEqual(Proto.RemoveGroupMemberRequest.decode(Proto.RemoveGroupMemberRequest.encode({ groupId: 'g', removedMember: ['x'] })),
    { groupId: 'g', removedMember: ['x'], toLine: [] });
});

test('repeated int32 is written unpacked (as Java proto2 does) and read both ways', () => {
  const unpacked = [...lenDelim(1, 'g'), ...vint(2, 0), ...vint(2, 1)];
  assert.equal(Proto.QuitGroupRequest.encode({ groupId: 'g', toLine: [0, 1] }).toString('hex'), hex(unpacked));
  const packed = [...lenDelim(1, 'g'), ...lenDelim(2, [0, 1])];
  assert.deepEqual(Proto.QuitGroupRequest.decode(Buffer.from(packed)), { groupId: 'g', toLine: [0, 1] });
});

test('unknown fields are skipped', () => {
  const bytes = [...vint(1, 3), ...vint(2, 4), ...lenDelim(15, 'future'), ...vint(16, 1)];
  assert.deepEqual(Proto.NotifyMessage.decode(Buffer.from(bytes)), { type: 3, head: '4' });
});

test('decode failures are PROTO_INVALID', () => {
  assert.equal(protoError(() => Proto.NotifyMessage.decode(Buffer.from(vint(1, 0)))), 'PROTO_INVALID'); // no head
  assert.equal(protoError(() => Proto.Message.decode(Buffer.from([0x0a, 0x05, 0x08]))), 'PROTO_INVALID'); // truncated
  assert.equal(protoError(() => Proto.Message.decode(Buffer.from([0x0f]))), 'PROTO_INVALID'); // wire type 7
  assert.equal(protoError(() => Proto.Message.decode(Buffer.from('not protobuf'))), 'PROTO_INVALID');
  assert.equal(protoError(() => Proto.Version.decode(Buffer.alloc(0))), 'PROTO_INVALID');
});

test('encode validates required fields and value types', () => {
  const bad: unknown[] = [
    { type: 0 },
    { type: 0, head: 'abc' },
    { type: 0, head: 1.5 },
    { type: 0, head: 2 ** 60 },
    { type: 0, head: 2n ** 63n },
    { type: 2 ** 31, head: 0 },
    { type: '1', head: 0 },
    { type: 0, head: 0, target: 5 },
  ];
  for (const value of bad) {
    assert.equal(protoError(() => Proto.NotifyMessage.encode(value as never)), 'PROTO_INVALID', JSON.stringify(value, (_k, v) => typeof v === 'bigint' ? `${v}n` : v));
  }
  assert.equal(protoError(() => Proto.Message.encode({ ...sampleMessage, content: { type: 1, data: 'AQI=' as never } })), 'PROTO_INVALID');
  assert.equal(Proto.NotifyMessage.encode({ type: 0, head: -(2n ** 63n) }).length, 13);
});
