/**
 * Connections and the schema: {@link createDatabase} (a `pg` pool, or PGlite when asked),
 * the tenancy core's tables ({@link CoreDatabase}), column types for an app's own tables,
 * migrations ({@link migrateToLatest}) and pool statistics.
 *
 * @example
 * ```ts
 * import { createDatabase, migrateToLatest } from '@upstreamjs/upstream/db'
 * const upstream = await createDatabase({ connectionString: process.env.DATABASE_URL })
 * await migrateToLatest(upstream)
 * ```
 *
 * @packageDocumentation
 * @module db
 */
export { createDatabase } from './create-database.js'
export { DatabaseConfigurationError } from './database-configuration-error.js'
export type { CreateDatabaseOptions } from './create-database.js'
export type { UpstreamDatabase, DialectName } from './upstream-database.js'
export { migrateToLatest } from './migrate-to-latest.js'
export type { MigrateOptions } from './migrate-to-latest.js'
export { coreMigrations, defineMigrationSet, migrationTableOf, MigrationSetProvider } from './migrations/index.js'
export type { MigrationContext, MigrationSet, MigrationSetConfig } from './migrations/index.js'
export { assertIdentifier } from './identifier.js'
export { jobQueueSchemaName } from './job-queue-schema.js'
export { withDedicatedConnection } from './with-dedicated-connection.js'
export type { DedicatedConnection, DedicatedConnectionOptions } from './with-dedicated-connection.js'
export { SessionRequiredError } from './session-required-error.js'
export { poolStats } from './pool-stats.js'
export { ReplicaBehindError } from './replica-router.js'
export type { ReadRoutingStats } from './replica-router.js'
export type { ReplicaRoutingOptions, ReplicaLsnStore, ReplicaSkip, ReplicaSkipReason, LostWritePosition } from './replica-routing-options.js'
export { createRedisLsnStore } from './create-redis-lsn-store.js'
export type { RedisLsnClient, RedisLsnStoreOptions } from './create-redis-lsn-store.js'
export { DEFAULT_READ_TIMEOUTS } from './read-timeouts.js'
export type { ReadTimeouts } from './read-timeouts.js'
export type { PoolStats } from './pool-stats.js'
export type { Timestamp, DateString, Numeric, Id } from './column-types.js'
export type { CoreDatabase, CustomersTable, ApiKeysTable, Customer, ApiKey } from './core-database.js'
