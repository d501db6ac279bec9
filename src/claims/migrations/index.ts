/**
 * The claims domain's migration set ({@link claimsMigrations}), run after the tenancy core's.
 *
 * @example
 * ```ts
 * await migrateToLatest(upstream, { sets: [claimsMigrations] })
 * ```
 *
 * @module
 */
export { claimsMigrations } from './claims-migrations.js'
export { CLAIMS_TABLES } from './0001-initial-schema.js'
