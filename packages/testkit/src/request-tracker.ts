import { TestkitError } from './testkit-error.ts';

export const DEFAULT_REQUEST_TIMEOUT_MS = 5000;
const MAX_ID = 0xffff;

interface Pending<T> {
  expect: number;
  /** When set, only an answer with this sub-signal settles the request (the Android SDK's matching). */
  expectSub: number | undefined;
  resolve: (value: T) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * The uint16 request-id counter of one client app. Ids count up from 1 and wrap from 65535 to 1, as both
 * FShareChat clients do; an app that reconnects keeps counting, so one counter may outlive a connection.
 */
export class RequestIdCounter {
  #lastId: number;

  /** `lastId`: the id handed out last (0: the first id is 1). */
  constructor(lastId = 0) {
    if (!Number.isInteger(lastId) || lastId < 0 || lastId > MAX_ID) throw new RangeError(`lastId must be 0..${MAX_ID}`);
    this.#lastId = lastId;
  }

  get lastId(): number {
    return this.#lastId;
  }

  /** The next id not `inUse`. */
  next(inUse: (id: number) => boolean): number {
    do {
      this.#lastId = this.#lastId >= MAX_ID ? 1 : this.#lastId + 1;
    } while (inUse(this.#lastId));
    return this.#lastId;
  }
}

/** Outstanding requests keyed by their uint16 messageId, which a RequestIdCounter hands out. */
export class RequestTracker<T> {
  #pending = new Map<number, Pending<T>>();
  readonly #ids: RequestIdCounter;

  constructor(ids: RequestIdCounter = new RequestIdCounter()) {
    this.#ids = ids;
  }

  get size(): number {
    return this.#pending.size;
  }

  nextId(): number {
    if (this.#pending.size >= MAX_ID) throw new TestkitError('BAD_RESPONSE', 'all 65535 message ids are in flight');
    return this.#ids.next((id) => this.#pending.has(id));
  }

  /**
   * Resolves when `settle(id, expect, value[, sub])` matches (and `sub` equals `expectSub` if that is
   * given); rejects after timeoutMs or on rejectAll.
   */
  track(id: number, expect: number, timeoutMs: number, label: string, expectSub?: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new TestkitError('TIMEOUT', `${label} (messageId ${id}) got no answer in ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(id, { expect, expectSub, resolve, reject, timer });
    });
  }

  /** True when a request with this id waits for this kind of answer (and sub-signal, if it names one). */
  settle(id: number, kind: number, value: T, sub?: number): boolean {
    const pending = this.#pending.get(id);
    if (pending === undefined || pending.expect !== kind) return false;
    if (pending.expectSub !== undefined && pending.expectSub !== sub) return false;
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
