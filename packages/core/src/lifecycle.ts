/**
 * Ordered shutdown: closers run in reverse registration order (last started, first stopped),
 * each bounded by the remaining time budget. A failure in one closer does not stop the others.
 */
export type Closer = () => Promise<void> | void;

export class ShutdownSequence {
  private readonly closers: { name: string; close: Closer }[] = [];
  private closing: Promise<string[]> | undefined;

  add(name: string, close: Closer): void {
    this.closers.push({ name, close });
  }

  get isClosing(): boolean {
    return this.closing !== undefined;
  }

  /** Resolves with the names of closers that failed or ran out of time. */
  run(timeoutMs: number): Promise<string[]> {
    this.closing ??= this.runAll(timeoutMs);
    return this.closing;
  }

  private async runAll(timeoutMs: number): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    const failed: string[] = [];
    for (const { name, close } of [...this.closers].reverse()) {
      const remaining = Math.max(1, deadline - Date.now());
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), remaining);
      });
      try {
        const outcome = await Promise.race([Promise.resolve().then(close), timeout]);
        if (outcome === 'timeout') failed.push(name);
      } catch {
        failed.push(name);
      } finally {
        clearTimeout(timer);
      }
    }
    return failed;
  }
}
