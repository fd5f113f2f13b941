import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FscError, type ErrorCode } from '@fscpush/core';
import type { ServiceRegistry } from '../rpc.ts';
import { uniqueName, waitFor } from './helpers.ts';

/**
 * The ServiceRegistry contract, run against every implementation (InProcessRegistry with copyValues
 * here, ZooKeeper + network calls in the integration tier). It assumes network semantics: arguments and
 * results are copies, failures arrive as FscError with their code. Every test uses fresh service names.
 */
export interface RegistryPair {
  /** Where services are provided. */
  provider: ServiceRegistry;
  /** Where they are consumed; may be the same instance as `provider` for an embedded registry. */
  consumer: ServiceRegistry;
}

export interface RegistryContractOptions {
  /** A fresh pair for each test; both are closed after it. */
  create(): Promise<RegistryPair>;
  /** Upper bound for a provided service to become visible to the consumer. */
  discoveryTimeoutMs?: number;
}

export function isFscError(code: ErrorCode | readonly ErrorCode[]): (err: unknown) => boolean {
  const codes: readonly ErrorCode[] = typeof code === 'string' ? [code] : code;
  return (err) => {
    assert.ok(err instanceof FscError, `expected an FscError, got ${String(err)}`);
    assert.ok(codes.includes(err.code), `expected ${codes.join('|')}, got ${err.code}: ${err.message}`);
    return true;
  };
}

interface Calculator {
  add(a: number, b: number): Promise<number>;
  echo<T>(value: T): Promise<T>;
  describe(user: { uid: string; tags: string[] }, limit: number, flag: boolean): Promise<string>;
  count(): Promise<number>;
  fail(kind: 'fsc' | 'plain'): Promise<never>;
  scribble(obj: { list: number[]; name: string }): Promise<{ list: number[]; name: string }>;
  state(): Promise<{ items: string[] }>;
  missing(): Promise<void>;
}

/** A provider with private state, async and sync methods, and `this` inside methods. */
class CalculatorImpl {
  private calls = 0;
  private readonly items = ['a'];

  add(a: number, b: number): number {
    this.calls++;
    return a + b;
  }

  async echo(value: unknown): Promise<unknown> {
    this.calls++;
    return value;
  }

  describe(user: { uid: string; tags: string[] }, limit: number, flag: boolean): string {
    this.calls++;
    return `${user.uid}:${user.tags.join('+')}:${limit}:${flag}`;
  }

  count(): number {
    return this.calls;
  }

  async fail(kind: 'fsc' | 'plain'): Promise<never> {
    if (kind === 'fsc') throw new FscError('NOT_IN_GROUP', 'u9 is not in g9', { gid: 'g9' });
    throw new Error('internal detail: SELECT * FROM secrets');
  }

  scribble(obj: { list: number[]; name: string }): { list: number[]; name: string } {
    obj.list.push(99);
    obj.name = 'changed by provider';
    return obj;
  }

  state(): { items: string[] } {
    return { items: this.items };
  }
}

export function describeRegistryContract(name: string, options: RegistryContractOptions): void {
  const discoveryMs = options.discoveryTimeoutMs ?? 5000;

  /** Runs `body` with a fresh pair whose provider already serves a CalculatorImpl under a fresh name. */
  async function withCalculator(body: (calc: Calculator, pair: RegistryPair, service: string) => Promise<void>): Promise<void> {
    const pair = await options.create();
    try {
      const service = uniqueName('calc');
      await pair.provider.provide(service, new CalculatorImpl());
      await waitFor(`${service} visible`, () => pair.consumer.providers(service).length > 0, discoveryMs);
      await body(pair.consumer.consume<Calculator>(service), pair, service);
    } finally {
      await pair.consumer.close();
      if (pair.provider !== pair.consumer) await pair.provider.close();
    }
  }

  describe(`ServiceRegistry contract: ${name}`, () => {
    test('consuming before anyone provides fails with RPC_NO_PROVIDER; the same proxy works once provided', async () => {
      const pair = await options.create();
      try {
        const service = uniqueName('late');
        assert.deepEqual(pair.consumer.providers(service), []);
        const calc = pair.consumer.consume<Calculator>(service);
        await assert.rejects(calc.add(1, 2), isFscError('RPC_NO_PROVIDER'));
        await pair.provider.provide(service, new CalculatorImpl());
        await waitFor(`${service} visible`, () => pair.consumer.providers(service).length > 0, discoveryMs);
        assert.equal(await calc.add(1, 2), 3);
      } finally {
        await pair.consumer.close();
        if (pair.provider !== pair.consumer) await pair.provider.close();
      }
    });

    test('provided methods are callable with arguments, sync or async, with the provider as this', () =>
      withCalculator(async (calc) => {
        assert.equal(await calc.add(2, 40), 42);
        assert.equal(await calc.describe({ uid: 'u1', tags: ['x', 'y'] }, 7, false), 'u1:x+y:7:false');
        assert.deepEqual(await calc.echo({ nested: { list: [1, 'two', null, true] }, text: 'ünïcödé 文本' }), {
          nested: { list: [1, 'two', null, true] },
          text: 'ünïcödé 文本',
        });
        assert.equal(await calc.echo('plain string'), 'plain string');
        assert.equal(await calc.count(), 4, 'state lives in the provider');
      }));

    test('the proxy is not a thenable, so it can be returned from async functions', () =>
      withCalculator(async (calc) => {
        const resolved = await Promise.resolve(calc);
        assert.equal(await resolved.add(1, 1), 2);
      }));

    test('concurrent calls each get their own result', () =>
      withCalculator(async (calc) => {
        const results = await Promise.all(Array.from({ length: 100 }, (_, i) => calc.add(i, 1000)));
        assert.deepEqual(results, Array.from({ length: 100 }, (_, i) => i + 1000));
      }));

    test('a thrown FscError reaches the caller with its code, message and details', () =>
      withCalculator(async (calc) => {
        await assert.rejects(calc.fail('fsc'), (err: unknown) => {
          isFscError('NOT_IN_GROUP')(err);
          const e = err as FscError;
          assert.equal(e.message, 'u9 is not in g9');
          assert.deepEqual(e.details, { gid: 'g9' });
          assert.equal(e.protocolCode, 9);
          return true;
        });
      }));

    test('a thrown plain Error becomes SERVER_ERROR without its message', () =>
      withCalculator(async (calc) => {
        await assert.rejects(calc.fail('plain'), (err: unknown) => {
          isFscError('SERVER_ERROR')(err);
          assert.doesNotMatch((err as Error).message, /SELECT|secrets/);
          return true;
        });
      }));

    test('an unknown method fails with NOT_IMPLEMENTED', () =>
      withCalculator(async (calc) => {
        await assert.rejects(calc.missing(), isFscError('NOT_IMPLEMENTED'));
        assert.equal(await calc.add(1, 2), 3, 'the service still works afterwards');
      }));

    test('arguments and results are copies: neither side sees the other mutate them', () =>
      withCalculator(async (calc) => {
        const arg = { list: [1, 2], name: 'original' };
        const result = await calc.scribble(arg);
        assert.deepEqual(arg, { list: [1, 2], name: 'original' }, 'caller object untouched by the provider');
        assert.deepEqual(result, { list: [1, 2, 99], name: 'changed by provider' });
        assert.notEqual(result, arg);
        const state = await calc.state();
        state.items.push('added by caller');
        assert.deepEqual(await calc.state(), { items: ['a'] }, 'provider state untouched by the caller');
      }));

    test('a value that cannot cross the wire (bigint) fails the call with an FscError', () =>
      withCalculator(async (calc) => {
        await assert.rejects(calc.echo(10n), isFscError(['SERVER_ERROR', 'INVALID_DATA']));
        assert.equal(await calc.count(), 0, 'the provider was not called');
      }));

    test('after close(), calls fail with an FscError', async () => {
      const pair = await options.create();
      const service = uniqueName('closing');
      await pair.provider.provide(service, new CalculatorImpl());
      await waitFor(`${service} visible`, () => pair.consumer.providers(service).length > 0, discoveryMs);
      const calc = pair.consumer.consume<Calculator>(service);
      assert.equal(await calc.add(1, 2), 3);
      await pair.provider.close();
      await waitFor(`${service} gone`, () => pair.consumer.providers(service).length === 0, discoveryMs);
      await assert.rejects(calc.add(1, 2), isFscError(['RPC_NO_PROVIDER', 'SHUTTING_DOWN']));
      if (pair.provider !== pair.consumer) {
        await pair.consumer.close();
        await assert.rejects(calc.add(1, 2), isFscError(['RPC_NO_PROVIDER', 'SHUTTING_DOWN']));
      }
    });
  });
}
