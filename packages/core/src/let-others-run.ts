/**
 * Awaiting a synchronous step (a SQLite statement, a loop over a thousand connections) only yields to
 * microtasks, so one large piece of work holds the event loop until it ends and a client's request
 * waits behind all of it. Awaiting this between parts lets the loop take I/O in between.
 */
export function letOthersRun(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
