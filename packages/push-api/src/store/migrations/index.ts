import type { ServiceMigrations } from '@fscpush/ports';
import * as apiKeys from './0006-api-keys.ts';
import * as apiSettings from './0011-api-settings.ts';

/** push-api's tables, applied in name order at start. Never edit a released step: add the next file and list it here. */
export const PUSH_API_MIGRATIONS: ServiceMigrations = {
  service: 'push-api',
  table: 'fscpush_migrations_push_api',
  steps: {
    '0006_api_keys': apiKeys,
    '0011_api_settings': apiSettings,
  },
};
