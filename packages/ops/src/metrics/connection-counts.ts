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
