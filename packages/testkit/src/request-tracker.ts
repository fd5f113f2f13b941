import { TestkitError } from './testkit-error.ts';

export const DEFAULT_REQUEST_TIMEOUT_MS = 5000;
const MAX_ID = 0xffff;

interface Pending<T> {
  expect: number;
  resolve: (value: T) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * Outstanding requests keyed by their uint16 messageId. Ids count up from 1 and wrap from 65535 to 1
 * (as the clients do), skipping ids still in flight.
 */
export class RequestTracker<T> {
  #pending = new Map<number, Pending<T>>();
  #lastId = 0;

  get size(): number {
    return this.#pending.size;
  }

  nextId(): number {
    if (this.#pending.size >= MAX_ID) throw new TestkitError('BAD_RESPONSE', 'all 65535 message ids are in flight');
    do {
      this.#lastId = this.#lastId >= MAX_ID ? 1 : this.#lastId + 1;
    } while (this.#pending.has(this.#lastId));
    return this.#lastId;
  }

  /** Resolves when `settle(id, expect, value)` matches; rejects after timeoutMs or on rejectAll. */
  track(id: number, expect: number, timeoutMs: number, label: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new TestkitError('TIMEOUT', `${label} (messageId ${id}) got no answer in ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(id, { expect, resolve, reject, timer });
    });
  }

  /** True when a request with this id waits for this kind of answer. */
  settle(id: number, kind: number, value: T): boolean {
    const pending = this.#pending.get(id);
    if (pending === undefined || pending.expect !== kind) return false;
    this.#pending.delete(id);
    clearTimeout(pending.timer);
    pending.resolve(value);
    return true;
  }

  fail(id: number, err: Error): void {
    const pending = this.#pending.get(id);
    if (pending === undefined) return;
    this.#pending.delete(id);
    clearTimeout(pending.timer);
    pending.reject(err);
  }

  rejectAll(err: Error): void {
    for (const id of [...this.#pending.keys()]) this.fail(id, err);
  }
}
