/**
 * Versions of friend data: ms timestamps that strictly increase within this process, so two changes in
 * the same millisecond still get distinct versions and a "changed after v" sync cannot miss the second.
 */
export class VersionClock {
  private last = 0;

  next(): number {
    this.last = Math.max(Date.now(), this.last + 1);
    return this.last;
  }
}
