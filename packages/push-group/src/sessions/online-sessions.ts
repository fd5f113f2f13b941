import type { OnlineSession } from '@fscpush/core';
import type { GridMap, SharedGrid } from '@fscpush/ports';

type UserSessions = Record<string, OnlineSession>;

/** A session on a connector missing from the registry for longer than this is a ghost (its connector died). */
const DEFAULT_REGISTRY_GRACE_MS = 30_000;

/**
 * Who is online where: user → client id → connector node, in the shared grid so every push-group agrees.
 * Sessions of connectors that left the registry (crash, kill -9) are filtered out of every read and
 * removed from the grid as they are found: no ghost sessions, whatever killed the connector.
 */
export class OnlineSessions {
  private readonly map: GridMap<UserSessions>;
  private readonly graceMs: number;
  private liveConnectors: Set<string> | undefined;

  /** graceMs covers the registry's notice lag: a just-started connector's sessions are never ghosts */
  constructor(grid: SharedGrid, graceMs = DEFAULT_REGISTRY_GRACE_MS) {
    this.map = grid.map<UserSessions>('online-sessions');
    this.graceMs = graceMs;
  }

  /** The connector nodes currently in the registry (from a provider watch). */
  setLiveConnectors(nodes: Iterable<string>): void {
    this.liveConnectors = new Set(nodes);
  }

  private isGhost(session: OnlineSession, now: number): boolean {
    return this.liveConnectors !== undefined && !this.liveConnectors.has(session.node) && now - session.since > this.graceMs;
  }

  /** Drops ghost sessions from a user's record (in the grid too). */
  private alive(uid: string, sessions: UserSessions | undefined): UserSessions {
    if (!sessions) return {};
    const now = Date.now();
    const ghosts = Object.entries(sessions).filter(([, s]) => this.isGhost(s, now));
    if (ghosts.length === 0) return sessions;
    const alive = { ...sessions };
    for (const [clientId, session] of ghosts) {
      delete alive[clientId];
      void this.unregister(uid, clientId, session.connToken).catch(() => undefined);
    }
    return alive;
  }

  /** Registers a connection and returns the one it replaces for the same client id, if any. */
  async register(uid: string, clientId: string, session: OnlineSession): Promise<OnlineSession | undefined> {
    let previous: OnlineSession | undefined;
    await this.map.update(uid, (current) => {
      previous = current?.[clientId];
      return { ...current, [clientId]: session };
    });
    return previous;
  }

  /** Removes the registration only if it still belongs to the connection `connToken`. */
  async unregister(uid: string, clientId: string, connToken: string): Promise<void> {
    await this.map.update(uid, (current) => {
      if (!current || current[clientId]?.connToken !== connToken) return current;
      const { [clientId]: _removed, ...rest } = current;
      return Object.keys(rest).length === 0 ? undefined : rest;
    });
  }

  async of(uid: string): Promise<UserSessions> {
    return this.alive(uid, await this.map.get(uid));
  }

  async ofMany(uids: Iterable<string>): Promise<Map<string, UserSessions>> {
    const found = await this.map.getMany([...uids]);
    const result = new Map<string, UserSessions>();
    for (const [uid, value] of found) {
      const sessions = this.alive(uid, value);
      for (const _ in sessions) {
        result.set(uid, sessions);
        break;
      }
    }
    return result;
  }
}
