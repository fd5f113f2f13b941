import { connect, type Socket } from 'node:net';
import { FscError, type Logger } from '@fscpush/core';
import { RpcFrameDecoder, decodeRpcMessage, encodeRpcCall, encodeRpcFrame, encodeRpcMessage, type RpcMessage } from '@fscpush/protocol';

/**
 * How far one attempt got. The retry rule depends on it:
 * - `not-sent`: failed before the request was written; the provider cannot have run it.
 * - `rejected`: the provider answered that it did not run it (shutting down, service absent, busy).
 * - `unknown`: written, then no answer (timeout, connection lost, provider left): it may have run.
 * - `answered`: the provider ran it and this is its error.
 */
export type AttemptOutcome = 'not-sent' | 'rejected' | 'unknown' | 'answered';

export type AttemptResult = { ok: true; value: unknown } | { ok: false; error: FscError; outcome: AttemptOutcome };

export interface ProviderConnectionOptions {
  host: string;
  port: number;
  connectTimeoutMs: number;
  maxFrameBytes: number;
  /** Requests written and unanswered at once; further calls wait (bounded by their timeout). */
  maxInFlight: number;
  onClosed: (connection: ProviderConnection) => void;
  logger?: Logger | undefined;
}

interface Call {
  id: number;
  service: string;
  method: string;
  body: Buffer;
  timer: NodeJS.Timeout;
  resolve: (result: AttemptResult) => void;
}

/**
 * One persistent, multiplexed connection to one provider address. Calls get request ids; replies may come
 * in any order. States:
 *
 *   connecting ──▶ open ──bye──▶ draining ──▶ closed
 *        └────────────┴──────────────┴── socket closed / close() ──▶ closed
 *
 * Calls queue while connecting or while maxInFlight are outstanding; a queued call has not been written.
 */
export class ProviderConnection {
  readonly address: string;
  private readonly options: ProviderConnectionOptions;
  private readonly socket: Socket;
  private state: 'connecting' | 'open' | 'draining' | 'closed' = 'connecting';
  private readonly written = new Map<number, Call>();
  private readonly queued: Call[] = [];
  private readonly pings = new Map<number, (alive: boolean) => void>();
  private nextId = 1;
  private retired = false;
  private corked = false;

  constructor(options: ProviderConnectionOptions) {
    this.options = options;
    this.address = `${options.host.includes(':') ? `[${options.host}]` : options.host}:${options.port}`;
    this.socket = connect({ host: options.host, port: options.port, noDelay: true, keepAlive: true });
    const connectTimer = setTimeout(() => this.close(new FscError('RPC_NO_PROVIDER', `connect to ${this.address} timed out`)), options.connectTimeoutMs);
    this.socket.once('connect', () => {
      clearTimeout(connectTimer);
      if (this.state !== 'connecting') return;
      this.state = 'open';
      this.flush();
    });
    const decoder = new RpcFrameDecoder(options.maxFrameBytes);
    this.socket.on('data', (chunk: Buffer) => {
      try {
        for (const body of decoder.push(chunk)) this.handle(decodeRpcMessage(body));
      } catch (err) {
        options.logger?.warn({ err, provider: this.address }, 'rpc: protocol violation from provider; closing');
        this.close(new FscError('RPC_NO_PROVIDER', `protocol violation from ${this.address}`));
      }
    });
    this.socket.on('error', (err) => {
      clearTimeout(connectTimer);
      this.close(new FscError('RPC_NO_PROVIDER', `connection to ${this.address}: ${err.message}`));
    });
    this.socket.on('close', () => {
      clearTimeout(connectTimer);
      this.close(new FscError('RPC_NO_PROVIDER', `connection to ${this.address} closed`));
    });
  }

  /** Open or still connecting, and the provider has not said it is draining. */
  get acceptsCalls(): boolean {
    return this.state === 'connecting' || this.state === 'open';
  }

  /** Calls this consumer has outstanding on this provider (least-active balancing). */
  get active(): number {
    return this.written.size + this.queued.length;
  }

  /** Sends one call. Never rejects: failures come back with how far the call got. */
  call(service: string, method: string, argsJson: string, timeoutMs: number): Promise<AttemptResult> {
    if (!this.acceptsCalls) {
      const error =
        this.state === 'draining'
          ? new FscError('SHUTTING_DOWN', `${this.address} is shutting down`)
          : new FscError('RPC_NO_PROVIDER', `connection to ${this.address} is closed`);
      return Promise.resolve({ ok: false, error, outcome: 'not-sent' });
    }
    const id = this.nextId++;
    const body = encodeRpcCall(id, service, method, argsJson);
    if (body.length > this.options.maxFrameBytes) {
      return Promise.resolve({
        ok: false,
        error: new FscError('INVALID_DATA', `call of ${body.length} bytes exceeds the ${this.options.maxFrameBytes}-byte frame limit`),
        outcome: 'answered', // deterministic: no provider would take it
      });
    }
    return new Promise<AttemptResult>((resolve) => {
      const call: Call = { id, service, method, body, resolve, timer: setTimeout(() => this.timeOut(call, timeoutMs), timeoutMs) };
      this.queued.push(call);
      this.flush();
    });
  }

  /** True if the provider answers a ping within `timeoutMs`: its process is alive and reading. */
  ping(timeoutMs: number): Promise<boolean> {
    if (this.state !== 'open' && this.state !== 'draining') return Promise.resolve(false);
    const id = this.nextId++;
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => answer(false), timeoutMs);
      const answer = (alive: boolean) => {
        clearTimeout(timer);
        this.pings.delete(id);
        resolve(alive);
      };
      this.pings.set(id, answer);
      this.write(encodeRpcFrame(encodeRpcMessage({ k: 'ping', id })));
    });
  }

  /** Fails the outstanding calls of one service (its provider left): written ones `unknown`, queued ones `not-sent`. */
  failService(service: string, error: FscError): void {
    for (const call of [...this.written.values()]) {
      if (call.service === service) this.settle(call, { ok: false, error, outcome: 'unknown' });
    }
    for (const call of this.queued.filter((c) => c.service === service)) this.settle(call, { ok: false, error, outcome: 'not-sent' });
  }

  /** Closes once nothing is outstanding (the address left the directory). */
  retire(): void {
    this.retired = true;
    if (this.active === 0) this.close(new FscError('RPC_NO_PROVIDER', `${this.address} left`));
  }

  /** Closes now; outstanding calls fail with `error` (written: `unknown`, queued: `not-sent`). */
  close(error: FscError): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.socket.destroy();
    for (const call of [...this.written.values()]) this.settle(call, { ok: false, error, outcome: 'unknown' });
    for (const call of [...this.queued]) this.settle(call, { ok: false, error, outcome: 'not-sent' });
    for (const answer of [...this.pings.values()]) answer(false);
    this.options.onClosed(this);
  }

  private handle(message: RpcMessage): void {
    switch (message.k) {
      case 'ok':
        this.reply(message.id, { ok: true, value: message.r });
        return;
      case 'err':
        this.reply(message.id, { ok: false, error: FscError.fromWire(message.e), outcome: message.rejected === true ? 'rejected' : 'answered' });
        return;
      case 'pong':
        this.pings.get(message.id)?.(true);
        return;
      case 'bye':
        if (this.state === 'open' || this.state === 'connecting') this.state = 'draining';
        for (const call of [...this.queued]) {
          this.settle(call, { ok: false, error: new FscError('SHUTTING_DOWN', `${this.address} is shutting down`), outcome: 'not-sent' });
        }
        return;
      default:
        throw new FscError('INVALID_DATA', `unexpected ${message.k} from a provider`);
    }
  }

  private reply(id: number, result: AttemptResult): void {
    const call = this.written.get(id);
    if (call !== undefined) this.settle(call, result); // else: timed out earlier, answer dropped
  }

  private timeOut(call: Call, timeoutMs: number): void {
    const wasWritten = this.written.has(call.id);
    const error = new FscError('RPC_TIMEOUT', `${call.service}.${call.method} on ${this.address}: no answer within ${timeoutMs} ms`);
    this.settle(call, { ok: false, error, outcome: wasWritten ? 'unknown' : 'not-sent' });
  }

  private settle(call: Call, result: AttemptResult): void {
    clearTimeout(call.timer);
    if (!this.written.delete(call.id)) {
      const index = this.queued.indexOf(call);
      if (index < 0) return; // already settled
      this.queued.splice(index, 1);
    }
    call.resolve(result);
    if (this.state === 'open') this.flush();
    if (this.retired && this.active === 0) this.close(new FscError('RPC_NO_PROVIDER', `${this.address} left`));
  }

  /** Writes queued calls while fewer than maxInFlight are outstanding. Written = may have run. */
  private flush(): void {
    if (this.state !== 'open') return;
    while (this.queued.length > 0 && this.written.size < this.options.maxInFlight) {
      const call = this.queued.shift() as Call;
      this.written.set(call.id, call);
      this.write(encodeRpcFrame(call.body));
    }
  }

  /** Frames written in the same tick leave in one syscall (cork until the next tick). */
  private write(frame: Buffer): void {
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      process.nextTick(() => {
        this.corked = false;
        this.socket.uncork();
      });
    }
    this.socket.write(frame);
  }
}
