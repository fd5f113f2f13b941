import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Migration, MigrationProvider } from 'kysely/migration';
import type { StoreDialect } from '../index.ts';
import * as core from './0001-core.ts';
import * as friends from './0002-friends.ts';
import * as receipts from './0005-receipts.ts';
import * as apiKeys from './0006-api-keys.ts';
import * as inboxHeads from './0007-inbox-heads.ts';
import * as groupTimeline from './0008-group-timeline.ts';
import * as sqliteClustered from './0009-sqlite-clustered-inbox.ts';
import * as mobileNormalForm from './0010-mobile-normal-form.ts';

/** Dialect-specific column types a migration may need. */
export interface MigrationContext {
  dialect: StoreDialect;
  /** up to 16 MB of text (MySQL mediumtext; SQLite text) */
  longText: RawBuilder<unknown>;
}

type Step = { up(db: Kysely<any>, ctx: MigrationContext): Promise<void> };

/** Applied in name order at start. Never edit a released migration: add the next file and list it here. */
const STEPS: Record<string, Step> = {
  '0001_core': core,
  '0002_friends': friends,
  '0005_receipts': receipts,
  '0006_api_keys': apiKeys,
  '0007_inbox_heads': inboxHeads,
  '0008_group_timeline': groupTimeline,
  '0009_sqlite_clustered_inbox': sqliteClustered,
  '0010_mobile_normal_form': mobileNormalForm,
};

export function migrationsFor(dialect: StoreDialect): MigrationProvider {
  const ctx: MigrationContext = { dialect, longText: dialect === 'mysql' ? sql`mediumtext` : sql`text` };
  const migrations: Record<string, Migration> = {};
  for (const [name, step] of Object.entries(STEPS)) migrations[name] = { up: (db) => step.up(db, ctx) };
  return { getMigrations: async () => migrations };
}
