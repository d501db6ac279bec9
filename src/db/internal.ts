/**
 * The library's own door into this folder, for other folders of the library: names they
 * need that are not public API. Never a package subpath; apps import `index.ts`.
 *
 * @internal
 */
export { supportsMultiStatement, postgresPoolOf, isTransactionPooled } from './postgres-pool-registry.js'
export { jobQueueSchemaName } from './job-queue-schema.js'
export { currentTenantSql } from './current-tenant-sql.js'
export { tenantVersionSql } from './tenant-version-sql.js'
export { quoteIdent } from './quote-ident.js'
export { assertIdentifier } from './identifier.js'
export { withCancelHook } from './cancel-hook.js'
export { sqlNeutralPlugin, compiledPlanKeyOf } from './sql-neutral-plugin.js'
export type { CancelHook } from './cancel-hook.js'
export { replicaRouterOf, linkReplicaRouter, databaseIdentityOf } from './replica-router.js'
export type { ReplicaRouter } from './replica-router.js'
