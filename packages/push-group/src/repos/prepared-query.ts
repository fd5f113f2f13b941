import type { Compilable, CompiledQuery, Kysely, QueryResult } from 'kysely';

const SLOT = '\u0000fscpush-arg-';

/**
 * A hot query whose SQL is built and compiled once per database; each call only binds new values.
 * Kysely's builder and compiler cost more than SQLite's execution for the small lookups on the message
 * path (sender, receiver, inbox head, pull), so those go through here. `build` receives placeholders
 * in place of the arguments and must pass each straight into a value position (where, limit, values)
 * — not transform it — so it can be found among the compiled parameters.
 */
export class PreparedQuery<Args extends readonly (string | number)[], Row> {
  private readonly db: Kysely<any>;
  private readonly build: (...args: Args) => Compilable<Row>;
  private compiled: CompiledQuery<Row> | undefined;
  /** for each compiled parameter: the argument index it takes, or -1 for a constant */
  private slots: number[] = [];

  constructor(db: Kysely<any>, build: (...args: Args) => Compilable<Row>) {
    this.db = db;
    this.build = build;
  }

  async rows(...args: Args): Promise<Row[]> {
    return (await this.runOn(this.db, ...args)).rows;
  }

  /** Runs on another executor of the same database, e.g. a transaction. */
  runOn(executor: Kysely<any>, ...args: Args): Promise<QueryResult<Row>> {
    const compiled = this.compiled ?? this.compile(args.length);
    const parameters = this.slots.map((slot, i) => (slot >= 0 ? args[slot] : compiled.parameters[i]));
    return executor.executeQuery<Row>({ ...compiled, parameters });
  }

  async first(...args: Args): Promise<Row | undefined> {
    return (await this.rows(...args))[0];
  }

  private compile(arity: number): CompiledQuery<Row> {
    const placeholders = Array.from({ length: arity }, (_, i) => `${SLOT}${i}`) as unknown as Args;
    const compiled = this.build(...placeholders).compile();
    this.slots = compiled.parameters.map((p) => (typeof p === 'string' && p.startsWith(SLOT) ? Number(p.slice(SLOT.length)) : -1));
    const used = new Set(this.slots.filter((s) => s >= 0));
    if (used.size !== arity) throw new Error(`prepared query: ${arity - used.size} argument(s) not found among the parameters of ${compiled.sql}`);
    this.compiled = compiled;
    return compiled;
  }
}
