import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ErrorCode, SIGNAL_NAMES, SUB_SIGNAL_NAMES, Signal, SubSignal, errorCodeName, isConnectRefusal,
  signalFromName, signalName, subSignalFromName, subSignalName,
} from '../src/index.ts';

test('signal ordinals match the Java enum', () => {
  assert.deepEqual(SIGNAL_NAMES, [
    'NONE', 'SUB', 'AUTH', 'PING', 'PUSH', 'CONTACT', 'CONNECT', 'CONNECT_ACK', 'DISCONNECT', 'PUBLISH', 'PUB_ACK',
  ]);
  assert.equal(Signal.PUB_ACK, 10);
  assert.equal(signalName(9), 'PUBLISH');
  assert.equal(signalName(11), undefined);
  assert.equal(signalFromName('CONNECT_ACK'), 7);
  assert.equal(signalFromName('toString'), undefined);
});

test('sub-signal ordinals match the Java enum', () => {
  const expected = [
    'NONE', 'CONNECTION_ACCEPTED', 'CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION',
    'CONNECTION_REFUSED_IDENTIFIER_REJECTED', 'CONNECTION_REFUSED_SERVER_UNAVAILABLE',
    'CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD', 'CONNECTION_REFUSED_NOT_AUTHORIZED',
    'CONNECTION_REFUSED_UNEXPECT_NODE', 'CONNECTION_REFUSED_SESSION_NOT_EXIST',
    'US', 'FAR', 'UPUI', 'FRN', 'FRUS', 'FRP', 'FHR', 'FP', 'MN', 'MS', 'MP', 'FN', 'GC', 'GPGI', 'GPGM', 'GAM',
    'GKM', 'GQ', 'GMI', 'MMI', 'GQNUT', 'MR', 'RMN', 'LRM', 'GD', 'GMURL', 'FALS',
  ];
  assert.deepEqual(SUB_SIGNAL_NAMES.slice(0, expected.length), expected, 'FShareChat ordinals are unchanged');
  expected.forEach((name, ordinal) => {
    assert.equal(subSignalFromName(name), ordinal);
    assert.equal(subSignalName(ordinal), name);
  });
  assert.equal(SubSignal.MS, 18);
  assert.equal(SubSignal.FALS, 35);
  assert.deepEqual(SUB_SIGNAL_NAMES.slice(expected.length), ['FDL', 'BLU', 'GTG', 'GMA', 'GSM', 'MRN', 'MRP', 'MSR', 'CUC'], 'fscpush extensions are appended');
  assert.equal(subSignalName(SUB_SIGNAL_NAMES.length), undefined);
});

test('connect refusals are 2..8', () => {
  assert.equal(isConnectRefusal(SubSignal.CONNECTION_ACCEPTED), false);
  assert.equal(isConnectRefusal(SubSignal.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION), true);
  assert.equal(isConnectRefusal(SubSignal.CONNECTION_REFUSED_SESSION_NOT_EXIST), true);
  assert.equal(isConnectRefusal(SubSignal.US), false);
});

test('error codes', () => {
  assert.deepEqual(Object.values(ErrorCode), [0, 2, 4, 9, 246, 247, 248, 250, 253, 254]);
  assert.equal(errorCodeName(250), 'OVER_FREQUENCY');
  assert.equal(errorCodeName(1), undefined);
});
