import type { Kysely } from 'kysely';
import type { Schema, SqlDialect } from '../store/index.ts';

export interface LoginSession {
  uid: string;
  clientId: string;
  secret: string;
  dbSecret: string;
}

/** Login sessions: one row per (user, device client id), holding the per-device secret of the token scheme. */
export class SessionsRepo {
  private readonly db: Kysely<Schema>;
  private readonly dialect: SqlDialect;

  constructor(db: Kysely<Schema>, dialect: SqlDialect) {
    this.db = db;
    this.dialect = dialect;
  }

  async find(uid: string, clientId: string): Promise<LoginSession | undefined> {
    const row = await this.db
      .selectFrom('user_sessions')
      .select(['uid', 'client_id', 'secret', 'db_secret'])
      .where('uid', '=', uid)
      .where('client_id', '=', clientId)
      .executeTakeFirst();
    return row && { uid: row.uid, clientId: row.client_id, secret: row.secret, dbSecret: row.db_secret };
  }

  /**
   * Creates or replaces the device's session: a new login invalidates the device's older token. One
   * upsert statement: a delete-then-insert takes gap locks on MySQL and concurrent first logins deadlock.
   */
  async upsert(session: LoginSession, platform: number): Promise<void> {
    const now = Date.now();
    const insert = this.db
      .insertInto('user_sessions')
      .values({ uid: session.uid, client_id: session.clientId, secret: session.secret, db_secret: session.dbSecret, platform, created_at: now, updated_at: now });
    const changes = { secret: session.secret, db_secret: session.dbSecret, platform, updated_at: now };
    await this.dialect.upsert(insert, ['uid', 'client_id'], changes).execute();
  }

  async remove(uid: string, clientId: string): Promise<void> {
    await this.db.deleteFrom('user_sessions').where('uid', '=', uid).where('client_id', '=', clientId).execute();
  }
}
