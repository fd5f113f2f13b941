import { newClient, type Account, type BenchClient, type ClientHooks, type Transport } from './bench-client.ts';
import type { Endpoint, Target } from './target.ts';

export interface FleetOptions {
  /** source addresses 127.0.0.2 … 127.0.0.(1+n) spread connections past one address's ephemeral ports */
  sourceAddresses: number;
  heartbeatMs: number;
  requestTimeoutMs: number;
  connectConcurrency: number;
  /** run-wide index of this fleet's first device (a fleet in a holder process has a share of the devices) */
  indexBase?: number;
}

/**
 * The generator's devices: one client per account, connected over TCP or WS to the target's endpoints
 * (round-robin), with heartbeats and request timeouts handled by one housekeeping timer for all.
 */
export class Fleet {
  readonly clients: BenchClient[] = [];
  readonly target: Target;
  readonly options: FleetOptions;
  connectFailures = 0;
  /** why connects failed, by message */
  readonly connectErrors = new Map<string, number>();
  timeouts = 0;
  closedUnexpectedly = 0;
  private readonly hooks: ClientHooks;
  /** devices the bench closes on purpose (reconnect churn): their close is not an error */
  private readonly closing = new Set<BenchClient>();
  private timer: NodeJS.Timeout | undefined;
  private stopping = false;

  constructor(target: Target, options: FleetOptions, onMessages: (client: BenchClient, texts: string[]) => void) {
    this.target = target;
    this.options = options;
    this.hooks = {
      onMessages,
      onClose: (client) => {
        if (!this.stopping && !this.closing.has(client)) this.closedUnexpectedly += 1;
        this.closing.delete(client);
      },
    };
  }

  get openCount(): number {
    let n = 0;
    for (const c of this.clients) if (c.open) n += 1;
    return n;
  }

  /** Connects a client per account; `transportOf(index)` picks the transport by fleet-wide index. Failed connects are counted, not fatal. */
  async connectAll(accounts: Account[], transportOf: (i: number) => Transport, onProgress?: (done: number) => void): Promise<void> {
    const first = this.clients.length;
    const base = this.options.indexBase ?? 0;
    for (let i = 0; i < accounts.length; i++) this.clients.push(newClient(first + i, accounts[i]!, transportOf(base + first + i), this.hooks));
    // heartbeats from the start: a long ramp must not let the first devices hit the server's idle timeout
    this.startHousekeeping();
    let next = first;
    let done = 0;
    const worker = async () => {
      for (;;) {
        const i = next++;
        if (i >= this.clients.length) return;
        try {
          await this.connectClient(this.clients[i]!);
        } catch (err) {
          this.failed(err);
        }
        done += 1;
        if (onProgress && done % 200 === 0) onProgress(done);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.options.connectConcurrency, accounts.length) }, worker));
  }

  /** Closes the device abruptly and reconnects it as a new connection with the same account and cursor. */
  async reconnect(index: number): Promise<boolean> {
    const old = this.clients[index]!;
    this.closing.add(old);
    old.close();
    const fresh = newClient(index, old.account, old.transport, this.hooks);
    fresh.cursor = old.cursor;
    fresh.hasCursor = old.hasCursor;
    this.clients[index] = fresh;
    try {
      await this.connectClient(fresh);
      return true;
    } catch (err) {
      this.failed(err);
      return false;
    }
  }

  /**
   * Reconnects every device that is not open (a reconnect that failed under load), up to `attempts`
   * times each: the final verification needs every receiver online to pull what it missed.
   */
  async reopenAll(attempts = 3): Promise<number> {
    let reopened = 0;
    for (let round = 0; round < attempts; round++) {
      const closed = this.clients.filter((c) => !c.open).map((c) => c.index);
      if (closed.length === 0) break;
      for (const index of closed) if (await this.reconnect(index)) reopened += 1;
    }
    return reopened;
  }

  private failed(err: unknown): void {
    this.connectFailures += 1;
    const key = ((err as Error).message ?? String(err)).replace(/\d+/g, 'N').slice(0, 80);
    this.connectErrors.set(key, (this.connectErrors.get(key) ?? 0) + 1);
  }

  async close(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    for (const c of this.clients) c.close();
    await new Promise((r) => setTimeout(r, 200));
  }

  /** A last pull on every open device: heals lost notifies, so a missing message after it is a real loss. */
  pullAll(): void {
    for (const c of this.clients) if (c.open) c.pull(false);
  }

  private connectClient(client: BenchClient): Promise<void> {
    const endpoints = client.transport === 'tcp' ? this.target.tcp : this.target.ws;
    const index = (this.options.indexBase ?? 0) + client.index;
    // index / 2: with mixed transports even indexes are WS, odd ones TCP; both spread over every endpoint
    const endpoint: Endpoint = endpoints[Math.floor(index / 2) % endpoints.length]!;
    const local = endpoint.host.startsWith('127.') && this.options.sourceAddresses > 0
      ? `127.0.0.${2 + (index % this.options.sourceAddresses)}`
      : undefined;
    client.nextBeatAt = Date.now() + Math.random() * this.options.heartbeatMs;
    return client.connect(endpoint, local);
  }

  private startHousekeeping(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      const now = performance.now();
      const wall = Date.now();
      for (const c of this.clients) {
        if (!c.open) continue;
        if (c.inFlight > 0) this.timeouts += c.expire(now, this.options.requestTimeoutMs);
        if (this.options.heartbeatMs > 0 && wall >= c.nextBeatAt) {
          c.nextBeatAt = wall + this.options.heartbeatMs;
          c.heartbeat();
        }
      }
    }, 500);
    this.timer.unref();
  }
}
