import type { OnlineSession } from '@fscpush/core';
import type { GridMap, SharedGrid } from '@fscpush/infra';

type UserSessions = Record<string, OnlineSession>;

/** Who is online where: user → client id → connector node, in the shared grid so every push-group agrees. */
export class OnlineSessions {
  private readonly map: GridMap<UserSessions>;

  constructor(grid: SharedGrid) {
    this.map = grid.map<UserSessions>('online-sessions');
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
    return (await this.map.get(uid)) ?? {};
  }

  async ofMany(uids: Iterable<string>): Promise<Map<string, UserSessions>> {
    const list = [...uids];
    const values = await Promise.all(list.map((uid) => this.map.get(uid)));
    const result = new Map<string, UserSessions>();
    list.forEach((uid, i) => {
      const sessions = values[i];
      if (sessions) result.set(uid, sessions);
    });
    return result;
  }
}
