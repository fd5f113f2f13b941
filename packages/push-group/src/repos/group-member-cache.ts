import type { GroupMemberDto } from '@fscpush/core';
import type { GridMap, SharedGrid } from '@fscpush/ports';

const LOCAL_LIMIT = 10_000;
/** whole member lists (GPGM from version 0) are larger: fewer of them */
const ROSTER_LIMIT = 256;

interface Versioned<T> {
  version: number;
  value: T;
}

/**
 * Active member lists of groups, cached in each push-group process and validated against a per-group
 * version in the shared grid. A change bumps the version after its commit, so every process — not only
 * the one that made the change — reloads on its next read: all push-groups give the same answer.
 */
export class GroupMemberCache {
  private readonly versions: GridMap<number>;
  private readonly local = new Map<string, Versioned<Map<string, number>>>();
  private readonly rosters = new Map<string, Versioned<readonly GroupMemberDto[]>>();

  constructor(grid: SharedGrid) {
    this.versions = grid.map<number>('group-member-versions');
  }

  /** uid → member type of the active members. */
  get(gid: string, load: () => Promise<Map<string, number>>): Promise<Map<string, number>> {
    return this.cached(this.local, LOCAL_LIMIT, gid, load);
  }

  /** The active members as GPGM lists them: every client opening a group asks for the same list. */
  roster(gid: string, load: () => Promise<readonly GroupMemberDto[]>): Promise<readonly GroupMemberDto[]> {
    return this.cached(this.rosters, ROSTER_LIMIT, gid, load);
  }

  async invalidate(gid: string): Promise<void> {
    this.local.delete(gid);
    this.rosters.delete(gid);
    await this.versions.update(gid, (v) => (v ?? 0) + 1);
  }

  private async cached<T>(entries: Map<string, Versioned<T>>, limit: number, gid: string, load: () => Promise<T>): Promise<T> {
    const version = (await this.versions.get(gid)) ?? 0;
    const hit = entries.get(gid);
    if (hit && hit.version === version) return hit.value;
    const value = await load();
    entries.delete(gid);
    entries.set(gid, { version, value });
    if (entries.size > limit) entries.delete(entries.keys().next().value!);
    return value;
  }
}
