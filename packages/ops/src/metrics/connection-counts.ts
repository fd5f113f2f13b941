export interface ConnectionCount {
  transport: string;
  /** open = authenticated; pending = awaiting CONNECT; closing = closed, not yet released */
  state: 'open' | 'pending' | 'closing';
  count: number;
}

/** Connections by transport and state, for the connections gauge (every tcp/ws × open/pending pair is listed, zeros too). */
export function countConnections(connections: Iterable<{ transport: string; state: string }>): ConnectionCount[] {
  const counts = new Map<string, ConnectionCount>();
  for (const transport of ['tcp', 'ws']) {
    for (const state of ['open', 'pending'] as const) counts.set(`${transport}\u0000${state}`, { transport, state, count: 0 });
  }
  for (const conn of connections) {
    const state = conn.state === 'open' ? 'open' : conn.state === 'closed' ? 'closing' : 'pending';
    const key = `${conn.transport}\u0000${state}`;
    let entry = counts.get(key);
    if (!entry) counts.set(key, (entry = { transport: conn.transport, state, count: 0 }));
    entry.count++;
  }
  return [...counts.values()];
}

/** One count per transport and state from the counts of several connectors (threads of one process). */
export function sumConnectionCounts(parts: Iterable<ConnectionCount[]>): ConnectionCount[] {
  return sumBy(parts, (c) => `${c.transport}\u0000${c.state}`);
}

/** Delivery events a connector skipped as unreadable (push-connector's RejectedEvents). */
export interface RejectedEventCount {
  reason: string;
  kind: string;
  count: number;
}

/** One count per reason and kind from several connectors. */
export function sumRejectedEvents(parts: Iterable<RejectedEventCount[]>): RejectedEventCount[] {
  return sumBy(parts, (c) => `${c.reason}\u0000${c.kind}`);
}

function sumBy<T extends { count: number }>(parts: Iterable<T[]>, keyOf: (item: T) => string): T[] {
  const sums = new Map<string, T>();
  for (const part of parts) {
    for (const item of part) {
      const entry = sums.get(keyOf(item));
      if (entry) entry.count += item.count;
      else sums.set(keyOf(item), { ...item });
    }
  }
  return [...sums.values()];
}
