import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { StoreUnderTest } from './store-contract.ts';

const user = (uid: string, mobile: string | null, name: string, displayName: string, createdAt: number) => ({
  uid, mobile, name, display_name: displayName, portrait: '', email: '', address: '', company: '', social: '', extra: '', gender: 0, type: 0, status: 0,
  created_at: createdAt, updated_at: createdAt,
});

/**
 * Migration 0010 on users as an older version stored them: the store is set back to before 0010 (its
 * record and table removed), then opened again as an upgraded process would.
 */
export async function checkMobileNormalFormMigration({ store, openAgain }: StoreUnderTest): Promise<void> {
  await store.db.insertInto('users').values([
    user('u-plus', '+8613900009001', '+8613900009001', '+86****9001', 1000),
    user('u-plain', '13900009001', 'plain', 'Plain', 2000),
    user('u-dash', '139-0000-9002', '139-0000-9002', '139****9002', 3000),
    user('u-old', '008613900009003', 'old', 'Old', 1000),
    user('u-new', '8613900009003', 'new', '8613900009003', 2000),
    user('u-intl', '+4915112345678', 'Hans', 'Hans', 1000),
    user('u-bad', '12345', '12345', 'Bad', 1000),
    user('u-none', null, 'nobody', 'Nobody', 1000),
  ]).execute();
  await sql`delete from fscpush_migrations_push_group where name = '0010_mobile_normal_form'`.execute(store.db);
  await sql`drop table mobile_conflicts`.execute(store.db);

  const upgraded = await openAgain();
  const rows = await upgraded.db.selectFrom('users').select(['uid', 'mobile', 'name', 'display_name']).orderBy('uid').execute();
  const byUid = new Map(rows.map((r) => [r.uid, { ...r }]));
  const generated = /^用户[A-Za-z0-9]{6}$/;
  assert.deepEqual(byUid.get('u-plain'), { uid: 'u-plain', mobile: '13900009001', name: 'plain', display_name: 'Plain' }, 'already normal: kept');
  const plus = byUid.get('u-plus')!;
  assert.deepEqual([plus.mobile, plus.name], ['+8613900009001', 'u-plus'], 'collides with u-plain: keeps its mobile as stored');
  assert.match(plus.display_name, generated, 'the old masked default is replaced');
  const dash = byUid.get('u-dash')!;
  assert.deepEqual([dash.mobile, dash.name], ['13900009002', 'u-dash']);
  assert.match(dash.display_name, generated);
  assert.equal(byUid.get('u-old')!.mobile, '13900009003', 'neither was normal: the oldest gets it');
  const fresh = byUid.get('u-new')!;
  assert.deepEqual([fresh.mobile, fresh.name], ['8613900009003', 'new']);
  assert.match(fresh.display_name, generated, 'a display name that was the mobile');
  assert.deepEqual(byUid.get('u-intl'), { uid: 'u-intl', mobile: '+4915112345678', name: 'Hans', display_name: 'Hans' });
  assert.deepEqual(byUid.get('u-bad'), { uid: 'u-bad', mobile: '12345', name: 'u-bad', display_name: 'Bad' }, 'not a mobile: left as stored, name fixed');
  assert.deepEqual(byUid.get('u-none'), { uid: 'u-none', mobile: null, name: 'nobody', display_name: 'Nobody' });

  const conflicts = await upgraded.db.selectFrom('mobile_conflicts').select(['uid', 'mobile', 'normal_mobile', 'kept_uid']).orderBy('uid').execute();
  assert.deepEqual(conflicts.map((r) => ({ ...r })), [
    { uid: 'u-new', mobile: '8613900009003', normal_mobile: '13900009003', kept_uid: 'u-old' },
    { uid: 'u-plus', mobile: '+8613900009001', normal_mobile: '13900009001', kept_uid: 'u-plain' },
  ]);
}
