/**
 * upstream: tenant-scoped repositories, a transactional service layer, composable list
 * queries and OpenAPI from one operations table, for Node.js services on PostgreSQL.
 *
 * The root entry re-exports the generic core: `db`, `errors`, `transactions`, `tenancy` and
 * `list-query`. The HTTP core (`/http`), OpenAPI (`/openapi`), the claims domain (`/claims`)
 * and the test helpers (`/testing`) are subpaths of their own.
 *
 * @example
 * ```ts
 * import { createDatabase, migrateToLatest, forTenant, defineListSpec, filter, runList } from '@upstreamjs/upstream'
 * ```
 *
 * @packageDocumentation
 * @module @upstreamjs/upstream
 */
export * from './db/index.js'
export * from './errors/index.js'
export * from './transactions/index.js'
export * from './tenancy/index.js'
export * from './list-query/index.js'
