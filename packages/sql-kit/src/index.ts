/** What the SQL adapters share: running each service's migrations. */
export { migrateServices, SHARED_MIGRATION_TABLE, type ServiceMigrationFailure, type ServiceMigrationOutcome } from './migrate-services.ts';
