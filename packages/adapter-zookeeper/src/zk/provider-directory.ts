import type { ProviderEntry } from './dubbo-url.ts';
import { parseProviderZnode, providersPath } from './dubbo-url.ts';
import type { ZkSession } from './zk-session.ts';

/**
 * The live provider list of one service, from a re-armed child watch on `<root>/<service>/providers`.
 * Children that are not fscpush provider URLs (e.g. Dubbo's own `dubbo://` providers) are ignored.
 * While ZooKeeper is unreachable or the session is being renewed, the last known list stays in force.
 */
export class ProviderDirectory {
  readonly service: string;
  private entries: readonly ProviderEntry[] = [];
  private loadedOnce = false;
  private readonly listeners = new Set<(entries: readonly ProviderEntry[]) => void>();
  private readonly removedListener: (removed: readonly ProviderEntry[]) => void;
  private waiters: (() => void)[] = [];
  private readonly unwatch: () => void;

  constructor(session: ZkSession, root: string, service: string, onRemoved: (removed: readonly ProviderEntry[]) => void) {
    this.service = service;
    this.removedListener = onRemoved;
    this.unwatch = session.watchChildren(providersPath(root, service), (children) => this.update(children));
  }

  /** Current providers (empty until the first read). */
  list(): readonly ProviderEntry[] {
    return this.entries;
  }

  get loaded(): boolean {
    return this.loadedOnce;
  }

  /** Node ids of the current providers, de-duplicated and sorted. */
  nodeIds(): string[] {
    return [...new Set(this.entries.map((e) => e.nodeId))].sort();
  }

  /** Called after every change of the list. */
  subscribe(listener: (entries: readonly ProviderEntry[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves at the next change of the list (or first read), or after `timeoutMs`. */
  nextChange(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, Math.max(0, timeoutMs));
      const waiter = () => done();
      this.waiters.push(waiter);
      const self = this;
      function done() {
        clearTimeout(timer);
        self.waiters = self.waiters.filter((w) => w !== waiter);
        resolve();
      }
    });
  }

  stop(): void {
    this.unwatch();
    this.listeners.clear();
    for (const waiter of [...this.waiters]) waiter();
  }

  private update(children: string[]): void {
    const next: ProviderEntry[] = [];
    for (const child of [...children].sort()) {
      const entry = parseProviderZnode(child);
      if (entry !== undefined && entry.service === this.service) next.push(entry);
    }
    const nextNames = new Set(next.map((e) => e.znode));
    const removed = this.entries.filter((e) => !nextNames.has(e.znode));
    const changed = !this.loadedOnce || removed.length > 0 || next.length !== this.entries.length;
    this.entries = next;
    this.loadedOnce = true;
    if (removed.length > 0) this.removedListener(removed);
    if (!changed) return;
    for (const waiter of [...this.waiters]) waiter();
    for (const listener of this.listeners) listener(next);
  }
}
