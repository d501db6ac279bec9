import { UpstreamError, type ErrorBody } from './upstream-error.js'

/**
 * Fields PostgreSQL reports with a failed statement (a subset of `pg`'s `DatabaseError`).
 * Every one may be absent; none of them is ever sent to a client.
 *
 * @example
 * ```ts
 * const fields: PostgresErrorFields = { code: '23505', constraint: 'customers_name_key', table: 'customers' }
 * const error = new UniqueViolationError(fields)
 * error.sqlState // '23505'
 * error.constraint // 'customers_name_key'
 * ```
 */
export interface PostgresErrorFields {
  /** The SQLSTATE, such as `23505`. */
  readonly code?: string
  /** The violated constraint's name, for integrity violations. */
  readonly constraint?: string
  /** The table the error is about, where PostgreSQL names one. */
  readonly table?: string
  /** The column the error is about, where PostgreSQL names one. */
  readonly column?: string
  /** PostgreSQL's `DETAIL` line; may quote row values, so keep it to logs. */
  readonly detail?: string
}

/**
 * A failure reported by PostgreSQL, classified by SQLSTATE. Subclasses name each
 * failure the library handles; `sqlState` and `constraint` stay for logs, never for clients.
 *
 * @example
 * ```ts
 * if (e instanceof DatabaseError) logger.warn({ sqlState: e.sqlState }, e.message)
 * ```
 */
export class DatabaseError extends UpstreamError {
  readonly code: string = 'database_error'
  /** The SQLSTATE, such as `40001`. */
  readonly sqlState: string | undefined
  /** The violated constraint, where there is one. */
  readonly constraint: string | undefined
  constructor(message: string, fields: PostgresErrorFields = {}, options?: { cause?: unknown }) {
    super(message, options)
    this.sqlState = fields.code
    this.constraint = fields.constraint
  }
}

/**
 * A serializable or repeatable-read transaction could not commit (SQLSTATE 40001),
 * after every retry the transaction service was allowed.
 *
 * @example
 * ```ts
 * if (e instanceof SerializationFailureError) console.log(`gave up after ${e.attempts} attempts`)
 * ```
 */
export class SerializationFailureError extends DatabaseError {
  override readonly code = 'serialization_failure'
  override readonly status = 503
  override responseBody(): ErrorBody {
    return { detail: 'Service temporarily unavailable, try again later.' }
  }
  override responseHeaders(): Readonly<Record<string, string>> {
    return { 'retry-after': '1' }
  }
  /** How many times the unit of work ran. */
  readonly attempts: number
  constructor(fields: PostgresErrorFields, attempts: number, options?: { cause?: unknown }) {
    super(`Could not serialize the transaction after ${attempts} attempt(s).`, fields, options)
    this.attempts = attempts
  }
}

/**
 * PostgreSQL broke a deadlock by aborting this transaction (SQLSTATE 40P01), after every retry.
 *
 * @example
 * ```ts
 * if (e instanceof DeadlockError) console.log(e.attempts)
 * ```
 */
export class DeadlockError extends DatabaseError {
  override readonly code = 'deadlock'
  override readonly status = 503
  override responseBody(): ErrorBody {
    return { detail: 'Service temporarily unavailable, try again later.' }
  }
  override responseHeaders(): Readonly<Record<string, string>> {
    return { 'retry-after': '1' }
  }
  /** How many times the unit of work ran. */
  readonly attempts: number
  constructor(fields: PostgresErrorFields, attempts: number, options?: { cause?: unknown }) {
    super(`Deadlock detected after ${attempts} attempt(s).`, fields, options)
    this.attempts = attempts
  }
}

/**
 * A row lock could not be taken: `NOWAIT` found it locked, or `lock_timeout` ran out (SQLSTATE 55P03).
 *
 * @example
 * ```ts
 * try { await repos.uploads.forUpdate(id, { nowait: true }) } catch (e) { if (e instanceof LockNotAvailableError) retryLater() }
 * ```
 */
export class LockNotAvailableError extends DatabaseError {
  override readonly code = 'lock_not_available'
  override readonly status = 409
  override responseBody(): ErrorBody {
    return { detail: 'The resource is being changed by another request. Try again.' }
  }
  constructor(fields: PostgresErrorFields, options?: { cause?: unknown }) {
    super('The row is locked by another transaction.', fields, options)
  }
}

/**
 * A statement ran past `statement_timeout` or was cancelled (SQLSTATE 57014); also a
 * tenant read that waited past its `lock_timeout` for a table another session holds
 * (`LOCK TABLE`, DDL): such a read locks no row and conflicts with nothing, it only ran out
 * of time (its `sqlState` stays `55P03`). The HTTP layer answers 503 with `Retry-After`.
 *
 * @example
 * ```ts
 * if (e instanceof StatementTimeoutError) res.status(503)
 * ```
 */
export class StatementTimeoutError extends DatabaseError {
  override readonly code = 'statement_timeout'
  override readonly status = 503
  override responseBody(): ErrorBody {
    return { detail: 'Service temporarily unavailable, try again later.' }
  }
  override responseHeaders(): Readonly<Record<string, string>> {
    return { 'retry-after': '1' }
  }
  constructor(fields: PostgresErrorFields, options?: { cause?: unknown }) {
    super('The statement was cancelled (timeout).', fields, options)
  }
}

/**
 * A unique constraint refused the row (SQLSTATE 23505).
 *
 * @example
 * ```ts
 * if (e instanceof UniqueViolationError && e.constraint === 'customers_name_key') { ... }
 * ```
 */
export class UniqueViolationError extends DatabaseError {
  override readonly code = 'unique_violation'
  override readonly status = 409
  override responseBody(): ErrorBody {
    return { detail: 'A resource with the same key already exists.' }
  }
  constructor(fields: PostgresErrorFields, options?: { cause?: unknown }) {
    super(`A row with the same unique key already exists${fields.constraint ? ` (${fields.constraint})` : ''}.`, fields, options)
  }
}

/**
 * A foreign key refused the row (SQLSTATE 23503); with composite tenant keys this is
 * also what a reference to another tenant's row gets.
 *
 * @example
 * ```ts
 * if (e instanceof ForeignKeyViolationError) console.log(e.constraint)
 * ```
 */
export class ForeignKeyViolationError extends DatabaseError {
  override readonly code = 'foreign_key_violation'
  constructor(fields: PostgresErrorFields, options?: { cause?: unknown }) {
    super(`The row refers to a row that does not exist${fields.constraint ? ` (${fields.constraint})` : ''}.`, fields, options)
  }
}

/**
 * A CHECK constraint refused the row (SQLSTATE 23514).
 *
 * @example
 * ```ts
 * if (e instanceof CheckViolationError) console.log(e.constraint)
 * ```
 */
export class CheckViolationError extends DatabaseError {
  override readonly code = 'check_violation'
  constructor(fields: PostgresErrorFields, options?: { cause?: unknown }) {
    super(`A check constraint refused the row${fields.constraint ? ` (${fields.constraint})` : ''}.`, fields, options)
  }
}

/**
 * Row-level security refused a write (SQLSTATE 42501 with a policy message): the row's
 * `customer_id` is not the transaction's tenant, or no tenant is set.
 *
 * @example
 * ```ts
 * if (e instanceof RowSecurityViolationError) console.error('tenant mismatch')
 * ```
 */
export class RowSecurityViolationError extends DatabaseError {
  override readonly code = 'row_security_violation'
  constructor(fields: PostgresErrorFields, options?: { cause?: unknown }) {
    super('Row-level security refused the row.', fields, options)
  }
}

/**
 * The database cannot be reached, or refused the connection (SQLSTATE class 08, 53, 57P0x).
 *
 * @example
 * ```ts
 * if (e instanceof DatabaseUnavailableError) res.status(503)
 * ```
 */
export class DatabaseUnavailableError extends DatabaseError {
  override readonly code = 'database_unavailable'
  override readonly status = 503
  override responseBody(): ErrorBody {
    return { detail: 'Service temporarily unavailable, try again later.' }
  }
  override responseHeaders(): Readonly<Record<string, string>> {
    return { 'retry-after': '1' }
  }
  constructor(fields: PostgresErrorFields, options?: { cause?: unknown }) {
    super('The database is unavailable.', fields, options)
  }
}

/**
 * The database refused a write because it is read-only: a hot-standby replica, a server in
 * recovery, or a read-only transaction (SQLSTATE 25006, or 0A000 "cannot set transaction
 * read-write mode during recovery"). Nothing was written; the same request succeeds once it
 * reaches a primary, so the HTTP layer answers 503 with `Retry-After`.
 *
 * @example
 * ```ts
 * try {
 *   await forTenant(replica, 7).transaction(({ uploads }) => uploads.create({ filename: 'a.csv' }))
 * } catch (e) {
 *   if (e instanceof ReadOnlyDatabaseError) console.warn('pointed at a replica: route writes to the primary')
 * }
 * ```
 */
export class ReadOnlyDatabaseError extends DatabaseError {
  override readonly code = 'read_only_database'
  override readonly status = 503
  override responseBody(): ErrorBody {
    return { detail: 'The database is read-only at the moment (a replica or a server in recovery); writes are refused. Try again later.' }
  }
  override responseHeaders(): Readonly<Record<string, string>> {
    return { 'retry-after': '1' }
  }
  constructor(fields: PostgresErrorFields, options?: { cause?: unknown }) {
    super('The database is read-only (a replica, or a server in recovery); the write was refused.', fields, options)
  }
}

/**
 * Every pooled connection stayed busy past the pool's acquire timeout
 * (`acquireTimeoutMs` of `createDatabase`): the request was refused instead of waiting
 * without bound. The HTTP layer answers 503 with `Retry-After`.
 *
 * @example
 * ```ts
 * const upstream = await createDatabase({ connectionString, acquireTimeoutMs: 2000, pool: { max: 10 } })
 * try { await forTenant(upstream, 7).read(({ uploads }) => uploads.getById(1)) } catch (e) {
 *   if (e instanceof PoolExhaustedError) console.warn('pool exhausted: every connection stayed busy for 2 s')
 * }
 * ```
 */
export class PoolExhaustedError extends DatabaseError {
  override readonly code = 'pool_exhausted'
  override readonly status = 503
  override responseBody(): ErrorBody {
    return { detail: 'The server is busy: no database connection became free in time. Try again later.' }
  }
  override responseHeaders(): Readonly<Record<string, string>> {
    return { 'retry-after': '1' }
  }
  constructor(fields: PostgresErrorFields = {}, options?: { cause?: unknown }) {
    super('No pooled database connection became free within the acquire timeout.', fields, options)
  }
}
