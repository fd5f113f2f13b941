import type { Kysely } from 'kysely';
import { defaultDisplayName, normalMobile } from '@fscpush/core';

interface Account {
  uid: string;
  mobile: string;
  name: string;
  display_name: string;
  created_at: unknown;
}

const PAGE = 5000;

/**
 * Mobiles into their one normal form (normalMobile), and names that showed a mobile to everyone gone:
 * a name equal to the mobile becomes the uid, a display name equal to it (or to the old masked default
 * 138****0000) becomes 用户 + six characters. When two accounts normalise to one mobile, the one already
 * in normal form (else the oldest) gets it; the others keep theirs as stored and are listed in
 * mobile_conflicts, which push-group reports at every start while it has rows.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('mobile_conflicts')
    .addColumn('uid', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('mobile', 'varchar(32)', (c) => c.notNull())
    .addColumn('normal_mobile', 'varchar(32)', (c) => c.notNull())
    .addColumn('kept_uid', 'varchar(64)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  const accounts = await readAccounts(db);
  const keeper = keepers(accounts);
  const now = Date.now();
  for (const account of accounts) {
    const normal = normalMobile(account.mobile);
    const kept = normal === undefined ? undefined : keeper.get(normal);
    const mobile = normal !== undefined && kept === account ? normal : account.mobile;
    const changes: Record<string, string> = {};
    if (mobile !== account.mobile) changes['mobile'] = mobile;
    if (showsMobile(account.name, account.mobile)) changes['name'] = account.uid;
    if (showsMobile(account.display_name, account.mobile) || account.display_name === oldMaskedDefault(account.mobile)) changes['display_name'] = defaultDisplayName();
    if (Object.keys(changes).length > 0) await db.updateTable('users').set(changes).where('uid', '=', account.uid).execute();
    if (normal !== undefined && kept !== undefined && kept !== account) {
      await db.insertInto('mobile_conflicts').values({ uid: account.uid, mobile: account.mobile, normal_mobile: normal, kept_uid: kept.uid, created_at: now }).execute();
    }
  }
}

async function readAccounts(db: Kysely<any>): Promise<Account[]> {
  const all: Account[] = [];
  for (let after = ''; ;) {
    const rows: Account[] = await db.selectFrom('users').select(['uid', 'mobile', 'name', 'display_name', 'created_at'])
      .where('mobile', 'is not', null).where('uid', '>', after).orderBy('uid').limit(PAGE).execute();
    all.push(...rows);
    if (rows.length < PAGE) return all;
    after = rows[rows.length - 1]!.uid;
  }
}

/** normal form → the account that gets it: the one already holding it, else the oldest. */
function keepers(accounts: Account[]): Map<string, Account> {
  const keeper = new Map<string, Account>();
  for (const account of accounts) {
    const normal = normalMobile(account.mobile);
    if (normal === undefined) continue;
    const current = keeper.get(normal);
    if (current === undefined || preferred(account, current, normal)) keeper.set(normal, account);
  }
  return keeper;
}

function preferred(a: Account, b: Account, normal: string): boolean {
  if ((a.mobile === normal) !== (b.mobile === normal)) return a.mobile === normal;
  const [ta, tb] = [Number(a.created_at), Number(b.created_at)];
  return ta !== tb ? ta < tb : a.uid < b.uid;
}

function showsMobile(text: string, mobile: string): boolean {
  const compact = text.replace(/[\s-]/g, '');
  return compact === mobile || (normalMobile(compact) !== undefined && normalMobile(compact) === normalMobile(mobile));
}

function oldMaskedDefault(mobile: string): string {
  return mobile.length >= 7 ? `${mobile.slice(0, 3)}****${mobile.slice(-4)}` : mobile;
}
