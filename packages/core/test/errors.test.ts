import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ERROR_TABLE, FscError, asFscError, isErrorCode, type ErrorCode, type WireError } from '../src/errors.ts';
// The byte codes the protocol puts on the wire; core must not import protocol, but its test keeps the two in sync.
import { ErrorCode as ProtocolErrorCode } from '../../protocol/src/error-code.ts';

const CODES = Object.keys(ERROR_TABLE) as ErrorCode[];
/** FShareChat's ErrorCode bytes (SUCCESS is 0). */
const FSHARECHAT_BYTES = [0, 2, 4, 9, 246, 247, 248, 250, 253, 254];

test('toWire/fromWire round trip keeps code, message and details, also through JSON', () => {
  const original = new FscError('NOT_IN_GROUP', 'uid u1 is not in g1', { gid: 'g1', uid: 'u1', nested: { n: 1 } });
  const wire = original.toWire();
  assert.deepEqual(wire, { code: 'NOT_IN_GROUP', message: 'uid u1 is not in g1', details: { gid: 'g1', uid: 'u1', nested: { n: 1 } } });
  const back = FscError.fromWire(JSON.parse(JSON.stringify(wire)) as WireError);
  assert.ok(back instanceof FscError);
  assert.equal(back.code, 'NOT_IN_GROUP');
  assert.equal(back.message, 'uid u1 is not in g1');
  assert.deepEqual(back.details, { gid: 'g1', uid: 'u1', nested: { n: 1 } });
  assert.equal(back.protocolCode, 9);
  assert.equal(back.httpStatus, 403);
  assert.equal(back.retriable, false);
});

test('toWire without details has no details property; default message comes from the table', () => {
  const err = new FscError('OVER_FREQUENCY');
  assert.equal(err.message, ERROR_TABLE.OVER_FREQUENCY.message);
  assert.deepEqual(err.toWire(), { code: 'OVER_FREQUENCY', message: 'too frequent' });
  assert.equal(Object.hasOwn(err.toWire(), 'details'), false);
  assert.equal(err.name, 'FscError');
  assert.ok(err instanceof Error);
});

test('every code survives a wire round trip', () => {
  for (const code of CODES) {
    const back = FscError.fromWire(new FscError(code).toWire());
    assert.equal(back.code, code);
    assert.equal(back.protocolCode, ERROR_TABLE[code].protocolCode);
  }
});

test('an unknown code from the wire becomes SERVER_ERROR, including inherited property names', () => {
  for (const code of ['NO_SUCH_CODE', 'toString', '__proto__', 'constructor', '', 42, null]) {
    const back = FscError.fromWire({ code, message: 'remote said so' } as unknown as WireError);
    assert.equal(back.code, 'SERVER_ERROR', `code ${String(code)}`);
    assert.equal(back.protocolCode, 4);
  }
  assert.equal(isErrorCode('hasOwnProperty'), false);
  assert.equal(isErrorCode('INVALID_DATA'), true);
});

test('asFscError wraps plain errors as SERVER_ERROR without leaking their message, keeping the cause', () => {
  const secret = new Error('ECONNREFUSED mysql://root:hunter2@db:3306');
  const wrapped = asFscError(secret);
  assert.ok(wrapped instanceof FscError);
  assert.equal(wrapped.code, 'SERVER_ERROR');
  assert.equal(wrapped.message, ERROR_TABLE.SERVER_ERROR.message);
  assert.doesNotMatch(JSON.stringify(wrapped.toWire()), /hunter2|ECONNREFUSED/);
  assert.equal(wrapped.cause, secret, 'cause kept for logs');
  for (const thrown of ['a string', 42, undefined, { message: 'object' }]) {
    const w = asFscError(thrown);
    assert.equal(w.code, 'SERVER_ERROR');
    assert.equal(w.message, 'server error');
  }
});

test('asFscError passes FscErrors through unchanged', () => {
  const err = new FscError('NO_RIGHT', 'custom', { a: 1 });
  assert.equal(asFscError(err), err);
});

test("the protocol's ErrorCode bytes are FShareChat's", () => {
  assert.deepEqual(Object.values(ProtocolErrorCode).sort((a, b) => a - b), FSHARECHAT_BYTES);
  assert.equal(ProtocolErrorCode.SUCCESS, 0);
});

test('every ERROR_TABLE entry maps to a protocol error byte, never to SUCCESS', () => {
  const bytes = new Set<number>(Object.values(ProtocolErrorCode));
  for (const code of CODES) {
    const { protocolCode } = ERROR_TABLE[code];
    assert.ok(bytes.has(protocolCode), `${code}.protocolCode ${protocolCode} is not a protocol ErrorCode`);
    assert.notEqual(protocolCode, ProtocolErrorCode.SUCCESS, `${code} must not be reported as success`);
  }
});

test('every protocol error byte has the FscError code of the same name with the same value', () => {
  for (const [name, byte] of Object.entries(ProtocolErrorCode)) {
    if (name === 'SUCCESS') continue;
    if (!isErrorCode(name)) assert.fail(`protocol ErrorCode.${name} has no FscError code`);
    assert.equal(ERROR_TABLE[name].protocolCode, byte, `${name}: table says ${ERROR_TABLE[name].protocolCode}, protocol says ${byte}`);
  }
});

test('every ERROR_TABLE entry is well formed', () => {
  for (const code of CODES) {
    const entry = ERROR_TABLE[code];
    assert.match(code, /^[A-Z][A-Z_]*$/);
    assert.ok(Number.isInteger(entry.httpStatus) && entry.httpStatus >= 400 && entry.httpStatus <= 599, `${code}.httpStatus`);
    assert.equal(typeof entry.retriable, 'boolean');
    assert.ok(entry.message.length > 0, `${code}.message`);
  }
});
