import type { MessagePort } from 'node:worker_threads';
import { FscError, asFscError, type WireError } from '@fscpush/core';

/** A request handler's answer, or a one-way note's handler (its result is ignored). */
export type LinkHandler = (payload: never) => unknown;

// One postMessage carries every message queued during a loop turn, as tuples:
type LinkMessage =
  | [kind: 0, id: number, op: string, payload: unknown] // request
  | [kind: 1, id: number, result: unknown] // answer
  | [kind: 2, id: number, error: WireError] // failure
  | [kind: 3, op: string, payload: unknown]; // one-way note

interface Pending {
  resolve(value: unknown): void;
  reject(err: FscError): void;
}

export interface PortLinkOptions {
  /** A handler failed with something other than an FscError (the caller gets SERVER_ERROR). */
  onUnexpectedError?(err: unknown, op: string): void;
  /**
   * Requests (and their answers) that leave at the end of the task that queued them instead of the end of
   * the loop turn, with whatever else is queued: for a caller that must not wait behind the rest of a busy
   * turn. Everything else keeps batching per turn.
   */
  urgent?(op: string, payload: unknown): boolean;
}

/**
 * Requests, answers and notes between two threads over one MessagePort. Everything queued during one
 * loop turn leaves as one postMessage (a structured clone costs about the same for one message or fifty).
 * Failures cross as FscError codes. When either side closes, pending requests fail with SHUTTING_DOWN.
 */
export class PortLink {
  private readonly port: MessagePort;
  private readonly handlers = new Map<string, LinkHandler>();
  private readonly pending = new Map<number, Pending>();
  private readonly closeListeners: (() => void)[] = [];
  private readonly options: PortLinkOptions;
  private outbox: LinkMessage[] = [];
  private flushScheduled = false;
  private urgentFlushScheduled = false;
  private nextId = 1;
  private closed = false;

  constructor(port: MessagePort, options: PortLinkOptions = {}) {
    this.port = port;
    this.options = options;
    port.on('message', (batch: LinkMessage[]) => this.receive(batch));
    port.on('close', () => this.shutDown());
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Serves requests and notes named `op`; what the handler returns (or resolves to) is the answer. */
  handle<P>(op: string, handler: (payload: P) => unknown): void {
    this.handlers.set(op, handler as LinkHandler);
  }

  request<R>(op: string, payload: unknown): Promise<R> {
    if (this.closed) return Promise.reject(new FscError('SHUTTING_DOWN', 'thread link is closed'));
    const id = this.nextId++;
    return new Promise<R>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.enqueue([0, id, op, payload], this.options.urgent?.(op, payload) === true);
    });
  }

  notify(op: string, payload: unknown): void {
    if (!this.closed) this.enqueue([3, op, payload]);
  }

  onClose(listener: () => void): void {
    if (this.closed) listener();
    else this.closeListeners.push(listener);
  }

  /** Sends what is queued, then closes the port (the other side sees its pending requests fail). */
  close(): void {
    if (this.closed) return;
    this.flush();
    this.port.close();
    this.shutDown();
  }

  private enqueue(message: LinkMessage, urgent = false): void {
    this.outbox.push(message);
    if (urgent && !this.urgentFlushScheduled) {
      this.urgentFlushScheduled = true;
      queueMicrotask(() => {
        this.urgentFlushScheduled = false;
        this.flush();
      });
    }
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.outbox.length === 0 || this.closed) return;
    const batch = this.outbox;
    this.outbox = [];
    try {
      this.port.postMessage(batch);
    } catch {
      // A payload that cannot be cloned: send each message alone so only its own request fails.
      for (const message of batch) this.postOne(message);
    }
  }

  private postOne(message: LinkMessage): void {
    try {
      this.port.postMessage([message]);
    } catch (err) {
      const failure = new FscError('INVALID_DATA', `value cannot cross threads: ${(err as Error).message}`);
      if (message[0] === 0) this.settle(message[1], failure);
      else if (message[0] === 1) this.port.postMessage([[2, message[1], failure.toWire()]]);
    }
  }

  private receive(batch: LinkMessage[]): void {
    for (const message of batch) {
      switch (message[0]) {
        case 0:
          this.serve(message[1], message[2], message[3]);
          break;
        case 1:
          this.settle(message[1], undefined, message[2]);
          break;
        case 2:
          this.settle(message[1], FscError.fromWire(message[2]));
          break;
        case 3:
          this.serve(undefined, message[1], message[2]);
          break;
      }
    }
  }

  private serve(id: number | undefined, op: string, payload: unknown): void {
    const handler = this.handlers.get(op);
    const urgent = id !== undefined && this.options.urgent?.(op, payload) === true;
    const answer = (result: unknown) => {
      if (id !== undefined) this.enqueue([1, id, result], urgent);
    };
    const fail = (err: unknown) => {
      const fsc = asFscError(err);
      if (fsc !== err) this.options.onUnexpectedError?.(err, op);
      if (id !== undefined) this.enqueue([2, id, fsc.toWire()], urgent);
    };
    if (!handler) {
      fail(new FscError('NOT_IMPLEMENTED', `no handler for ${op} on this thread`));
      return;
    }
    try {
      const result = handler(payload as never);
      if (result instanceof Promise) result.then(answer, fail);
      else answer(result);
    } catch (err) {
      fail(err);
    }
  }

  private settle(id: number, err: FscError | undefined, result?: unknown): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    if (err) pending.reject(err);
    else pending.resolve(result);
  }

  private shutDown(): void {
    if (this.closed) return;
    this.closed = true;
    this.outbox = [];
    for (const pending of this.pending.values()) pending.reject(new FscError('SHUTTING_DOWN', 'thread link closed'));
    this.pending.clear();
    for (const listener of this.closeListeners.splice(0)) listener();
  }
}
