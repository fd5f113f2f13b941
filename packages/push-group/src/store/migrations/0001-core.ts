import type { Kysely } from 'kysely';
import type { MigrationContext } from '@fscpush/ports';

/** Users, device sessions, messages with per-user inboxes, groups, friends, key-value settings. */
export async function up(db: Kysely<any>, { longText }: MigrationContext): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('uid', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(128)', (c) => c.notNull().defaultTo(''))
    .addColumn('display_name', 'varchar(128)', (c) => c.notNull().defaultTo(''))
    .addColumn('portrait', 'varchar(1024)', (c) => c.notNull().defaultTo(''))
    .addColumn('mobile', 'varchar(32)', (c) => c.unique())
    .addColumn('email', 'varchar(128)', (c) => c.notNull().defaultTo(''))
    .addColumn('address', 'varchar(256)', (c) => c.notNull().defaultTo(''))
    .addColumn('company', 'varchar(128)', (c) => c.notNull().defaultTo(''))
    .addColumn('social', 'varchar(512)', (c) => c.notNull().defaultTo(''))
    .addColumn('extra', 'varchar(2048)', (c) => c.notNull().defaultTo(''))
    .addColumn('gender', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('type', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('users_name').on('users').column('name').execute();

  await db.schema
    .createTable('user_sessions')
    .addColumn('uid', 'varchar(64)', (c) => c.notNull())
    .addColumn('client_id', 'varchar(128)', (c) => c.notNull())
    .addColumn('secret', 'varchar(64)', (c) => c.notNull())
    .addColumn('db_secret', 'varchar(64)', (c) => c.notNull())
    .addColumn('platform', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('user_sessions_pk', ['uid', 'client_id'])
    .execute();

  await db.schema
    .createTable('messages')
    .addColumn('mid', 'bigint', (c) => c.primaryKey())
    .addColumn('from_uid', 'varchar(64)', (c) => c.notNull())
    .addColumn('from_client', 'varchar(128)', (c) => c.notNull().defaultTo(''))
    .addColumn('conv_type', 'integer', (c) => c.notNull())
    .addColumn('conv_target', 'varchar(64)', (c) => c.notNull())
    .addColumn('conv_line', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('conv_key', 'varchar(140)', (c) => c.notNull())
    .addColumn('content_type', 'integer', (c) => c.notNull())
    .addColumn('searchable', 'text', (c) => c.notNull())
    .addColumn('content', longText, (c) => c.notNull())
    .addColumn('to_users', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('messages_conv').on('messages').columns(['conv_key', 'mid']).execute();

  await db.schema
    .createTable('inbox')
    .addColumn('uid', 'varchar(64)', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('mid', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('inbox_pk', ['uid', 'seq'])
    .execute();

  await db.schema
    .createTable('groups')
    .addColumn('gid', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(256)', (c) => c.notNull())
    .addColumn('portrait', 'varchar(1024)', (c) => c.notNull().defaultTo(''))
    .addColumn('owner', 'varchar(64)', (c) => c.notNull())
    .addColumn('type', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('extra', 'varchar(2048)', (c) => c.notNull().defaultTo(''))
    .addColumn('mute', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('dismissed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('member_updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('group_members')
    .addColumn('gid', 'varchar(64)', (c) => c.notNull())
    .addColumn('uid', 'varchar(64)', (c) => c.notNull())
    .addColumn('alias', 'varchar(128)', (c) => c.notNull().defaultTo(''))
    .addColumn('type', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('removed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('group_members_pk', ['gid', 'uid'])
    .execute();
  await db.schema.createIndex('group_members_uid').on('group_members').column('uid').execute();

  await db.schema
    .createTable('friends')
    .addColumn('uid', 'varchar(64)', (c) => c.notNull())
    .addColumn('friend_uid', 'varchar(64)', (c) => c.notNull())
    .addColumn('state', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('alias', 'varchar(128)', (c) => c.notNull().defaultTo(''))
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('friends_pk', ['uid', 'friend_uid'])
    .execute();

  await db.schema
    .createTable('kv')
    .addColumn('k', 'varchar(128)', (c) => c.primaryKey())
    .addColumn('v', 'text', (c) => c.notNull())
    .execute();
}
