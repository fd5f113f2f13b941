import type { Logger } from '@fscpush/core';

export interface Stoppable {
  log: Logger;
  /** resolves with the parts that did not stop cleanly */
  close(): Promise<string[]>;
}

/** SIGINT/SIGTERM close the server once, then the process exits: 0, or 1 when a part did not stop cleanly. */
export function stopOnSignals(server: Stoppable): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.log.info({ signal }, 'shutting down');
    const failed = await server.close();
    if (failed.length > 0) server.log.warn({ failed }, 'some parts did not stop cleanly');
    process.exit(failed.length > 0 ? 1 : 0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}
