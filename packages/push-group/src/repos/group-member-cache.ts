import type { GridMap, SharedGrid } from '@fscpush/infra';

const LOCAL_LIMIT = 10_000;

/**
 * Active member lists of groups, cached in each push-group process and validated against a per-group
 * version in the shared grid. A change bumps the version after its commit, so every process — not only
 * the one that made the change — reloads on its next read: all push-groups give the same answer.
 */
export class GroupMemberCache {
  private readonly versions: GridMap<number>;
  private readonly local = new Map<string, { version: number; members: Map<string, number> }>();

  constructor(grid: SharedGrid) {
    this.versions = grid.map<number>('group-member-versions');
  }

  async get(gid: string, load: () => Promise<Map<string, number>>): Promise<Map<string, number>> {
    const version = (await this.versions.get(gid)) ?? 0;
    const hit = this.local.get(gid);
    if (hit && hit.version === version) return hit.members;
    const members = await load();
    this.local.delete(gid);
    this.local.set(gid, { version, members });
    if (this.local.size > LOCAL_LIMIT) this.local.delete(this.local.keys().next().value!);
    return members;
  }

  async invalidate(gid: string): Promise<void> {
    this.local.delete(gid);
    await this.versions.update(gid, (v) => (v ?? 0) + 1);
  }
}
