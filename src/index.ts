/**
 * upstream: tenant-scoped repositories, a transactional service layer, composable list
 * queries and OpenAPI fragments for Node.js services on PostgreSQL.
 *
 * @packageDocumentation
 */

// db
export { createDatabase } from './db/create-database.js'
export type { CreateDatabaseOptions } from './db/create-database.js'
export { migrateToLatest } from './db/migrate-to-latest.js'
export { UpstreamMigrationProvider, upstreamMigrations } from './db/migrations/index.js'
export type { MigrationContext } from './db/migrations/migration-context.js'
export { assertIdentifier } from './db/identifier.js'
export { UPLOAD_STATUSES, CLAIM_STATUSES, DRIFT_GROUP_BYS, DRIFT_METRICS, DRIFT_SEVERITIES } from './claims/database.js'
export type * from './claims/database.js'
export type { UpstreamDatabase, DialectName } from './db/upstream-database.js'
export { withDedicatedConnection } from './db/with-dedicated-connection.js'
export { poolStats } from './db/pool-stats.js'
export type { PoolStats } from './db/pool-stats.js'
export type { DedicatedConnection } from './db/with-dedicated-connection.js'

// errors
export { UpstreamError } from './errors/upstream-error.js'
export { ValidationError } from './errors/validation-error.js'
export type { FieldErrors } from './errors/validation-error.js'
export { NotFoundError } from './errors/not-found-error.js'
export { TenantScopeError } from './errors/tenant-scope-error.js'
export { TransactionAbortedError } from './errors/transaction-aborted-error.js'
export { MigrationFailedError } from './errors/migration-failed-error.js'
export {
  DatabaseError,
  SerializationFailureError,
  DeadlockError,
  LockNotAvailableError,
  StatementTimeoutError,
  UniqueViolationError,
  ForeignKeyViolationError,
  CheckViolationError,
  RowSecurityViolationError,
  DatabaseUnavailableError,
} from './errors/database-errors.js'
export type { PostgresErrorFields } from './errors/database-errors.js'
export { toDatabaseError, sqlStateOf } from './errors/to-database-error.js'

// transactions
export { runInTransaction } from './transactions/run-in-transaction.js'
export type { LocalSettings } from './transactions/run-in-transaction.js'
export { backoffDelay } from './transactions/backoff-delay.js'
export type { IsolationLevel, RetryInfo, RetryPolicy, TransactionOptions } from './transactions/transaction-options.js'

// tenancy
export { forTenant } from './tenancy/for-tenant.js'
export type { TenantScope } from './tenancy/for-tenant.js'
export { tenantRepositories } from './tenancy/tenant-repositories.js'
export type { TenantRepositories } from './tenancy/tenant-repositories.js'
export { TENANT_SETTING } from './tenancy/tenant-setting.js'
export { assertTenantId } from './tenancy/tenant-id.js'
export { createCustomer } from './tenancy/create-customer.js'
export { resolveApiKey } from './tenancy/resolve-api-key.js'
export type { ResolvedApiKey } from './tenancy/resolve-api-key.js'
export { hashApiToken, generateApiToken } from './tenancy/api-token.js'
export { UploadsRepository } from './claims/repositories/uploads-repository.js'
export type { UploadInput, UploadChanges } from './claims/repositories/uploads-repository.js'
export { ClaimsRepository } from './claims/repositories/claims-repository.js'
export type { ClaimInput } from './claims/repositories/claims-repository.js'
export { ApiKeysRepository, API_KEY_SCOPES } from './tenancy/repositories/api-keys-repository.js'
export type { ApiKeyScope, CreatedApiKey } from './tenancy/repositories/api-keys-repository.js'
export { DriftReportsRepository } from './claims/repositories/drift-reports-repository.js'
export type { DriftReportKey, DriftReportInput, DriftEventInput } from './claims/repositories/drift-reports-repository.js'
export { applyRowLock } from './tenancy/repositories/apply-row-lock.js'
export type { RowLockOptions } from './tenancy/repositories/row-lock-options.js'

// list queries (generic machinery) and the domain lists built from it
export * from './list-query/index.js'
export * from './claims/lists/index.js'
// services
export * from './claims/ingestion/index.js'
export * from './claims/drift/index.js'
// HTTP core and OpenAPI
export * from './openapi/index.js'
export * from './http/index.js'
// tracing (OpenTelemetry)
export * from './tracing/index.js'
