import { EventEmitter } from 'node:events';
import { TestkitError } from './testkit-error.ts';

export const DEFAULT_PUSH_BUFFER = 10_000;

interface Waiter<T> {
  predicate: (push: T) => boolean;
  resolve: (push: T) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout | undefined;
}

/**
 * Server pushes in arrival order. `waitFor` and the async iterator consume them, so a push that arrived
 * before anyone waited is still found, and each push is handed out once. 'push' events see every push.
 * The unconsumed buffer is capped; the oldest pushes are dropped (and counted) beyond it.
 */
export class PushStream<T> extends EventEmitter<{ push: [T] }> {
  readonly capacity: number;
  #buffer: T[] = [];
  #waiters = new Set<Waiter<T>>();
  #ended: Error | undefined;
  #received = 0;
  #dropped = 0;

  constructor(capacity = DEFAULT_PUSH_BUFFER) {
    super();
    this.capacity = capacity;
  }

  get received(): number {
    return this.#received;
  }

  get dropped(): number {
    return this.#dropped;
  }

  /** Unconsumed pushes, oldest first. */
  get pending(): readonly T[] {
    return this.#buffer;
  }

  add(push: T): void {
    if (this.#ended) return;
    this.#received += 1;
    this.emit('push', push);
    for (const waiter of this.#waiters) {
      if (waiter.predicate(push)) {
        this.#finish(waiter);
        waiter.resolve(push);
        return;
      }
    }
    this.#buffer.push(push);
    if (this.#buffer.length > this.capacity) {
      this.#buffer.shift();
      this.#dropped += 1;
    }
  }

  waitFor(predicate: (push: T) => boolean, timeoutMs: number, label = 'push'): Promise<T> {
    const index = this.#buffer.findIndex(predicate);
    if (index >= 0) return Promise.resolve(this.#buffer.splice(index, 1)[0]!);
    if (this.#ended) return Promise.reject(this.#ended);
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter<T> = { predicate, resolve, reject, timer: undefined };
      if (Number.isFinite(timeoutMs)) {
        waiter.timer = setTimeout(() => {
          this.#finish(waiter);
          reject(new TestkitError('TIMEOUT', `no matching ${label} in ${timeoutMs} ms`));
        }, timeoutMs);
      }
      this.#waiters.add(waiter);
    });
  }

  clear(): void {
    this.#buffer = [];
  }

  /** No more pushes: waiters and iterators end with `reason`. Buffered pushes stay readable. */
  end(reason: Error): void {
    if (this.#ended) return;
    this.#ended = reason;
    for (const waiter of [...this.#waiters]) {
      this.#finish(waiter);
      waiter.reject(reason);
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for (;;) {
      try {
        yield await this.waitFor(() => true, Infinity);
      } catch (err) {
        if (err === this.#ended) return;
        throw err;
      }
    }
  }

  #finish(waiter: Waiter<T>): void {
    this.#waiters.delete(waiter);
    if (waiter.timer) clearTimeout(waiter.timer);
  }
}
