/**
 * One class per failure, all extending {@link UpstreamError}: validation, not found, tenant
 * scope, transactions, and the typed database errors {@link toDatabaseError} makes of
 * PostgreSQL's SQLSTATEs.
 *
 * @example
 * ```ts
 * import { NotFoundError, SerializationFailureError } from '@upstreamjs/upstream/errors'
 * if (error instanceof NotFoundError) return res.status(404).end()
 * ```
 *
 * @packageDocumentation
 * @module errors
 */
export { UpstreamError } from './upstream-error.js'
export type { ErrorBody } from './upstream-error.js'
export { ValidationError } from './validation-error.js'
export type { FieldErrors } from './validation-error.js'
export { NotFoundError } from './not-found-error.js'
export { TenantScopeError } from './tenant-scope-error.js'
export { TransactionAbortedError } from './transaction-aborted-error.js'
export { RequestAbortedError } from './request-aborted-error.js'
export { MigrationFailedError } from './migration-failed-error.js'
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
  ReadOnlyDatabaseError,
  PoolExhaustedError,
} from './database-errors.js'
export type { PostgresErrorFields } from './database-errors.js'
export { toDatabaseError, sqlStateOf } from './to-database-error.js'
