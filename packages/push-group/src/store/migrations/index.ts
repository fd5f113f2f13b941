import type { ServiceMigrations } from '@fscpush/ports';
import * as core from './0001-core.ts';
import * as friends from './0002-friends.ts';
import * as receipts from './0005-receipts.ts';
import * as inboxHeads from './0007-inbox-heads.ts';
import * as groupTimeline from './0008-group-timeline.ts';
import * as sqliteClustered from './0009-sqlite-clustered-inbox.ts';
import * as mobileNormalForm from './0010-mobile-normal-form.ts';

/** push-group's tables, applied in name order at start. Never edit a released step: add the next file and list it here. */
export const PUSH_GROUP_MIGRATIONS: ServiceMigrations = {
  service: 'push-group',
  table: 'fscpush_migrations_push_group',
  steps: {
    '0001_core': core,
    '0002_friends': friends,
    '0005_receipts': receipts,
    '0007_inbox_heads': inboxHeads,
    '0008_group_timeline': groupTimeline,
    '0009_sqlite_clustered_inbox': sqliteClustered,
    '0010_mobile_normal_form': mobileNormalForm,
  },
};
