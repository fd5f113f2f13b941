import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { openSqliteStore } from '../src/sqlite-store.ts';
import { SERVICE_MIGRATIONS, describeStoreContract } from '../../push-group/test/store/store-contract.ts';

/** The Store contract on the embedded SQLite store: one new file per test; "another process" is a second handle on it. */
const dir = mkdtempSync(join(tmpdir(), 'fscpush-store-contract-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

describeStoreContract('SQLite', {
  fresh: async () => {
    const file = join(dir, `db-${++files}`, 'fscpush.db');
    return { store: await openSqliteStore(file, { migrations: SERVICE_MIGRATIONS }), openAgain: () => openSqliteStore(file, { migrations: SERVICE_MIGRATIONS }) };
  },
});
