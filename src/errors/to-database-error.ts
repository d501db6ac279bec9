import {
  CheckViolationError,
  DatabaseError,
  DatabaseUnavailableError,
  ForeignKeyViolationError,
  LockNotAvailableError,
  PoolExhaustedError,
  ReadOnlyDatabaseError,
  RowSecurityViolationError,
  StatementTimeoutError,
  UniqueViolationError,
  type PostgresErrorFields,
} from './database-errors.js'
import { UpstreamError } from './upstream-error.js'

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH'])

/**
 * Reads the SQLSTATE of anything a driver threw (`pg`, PGlite), or `undefined`.
 *
 * @example
 * ```ts
 * sqlStateOf(err) === '40001'
 * ```
 */
export function sqlStateOf(error: unknown): string | undefined {
  if (error instanceof DatabaseError) return error.sqlState
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code
    // Every SQLSTATE has a digit (class + subclass, e.g. 40001, P0001, XX000); Node's system
    // error codes (EPIPE, EPERM) have none and come with `syscall`/`errno`.
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && /\d/.test(code) && !('syscall' in error)) return code
  }
  return undefined
}

function fieldsOf(error: unknown): PostgresErrorFields {
  const e = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined)
  return { code: sqlStateOf(error), constraint: str(e.constraint), table: str(e.table), column: str(e.column), detail: str(e.detail) }
}

/**
 * Classifies a driver error into the library's typed errors; anything already typed,
 * or not from the database, is returned as it is. Unreachable or restarting servers
 * (network errors, SQLSTATE classes 08 and 53, 57P01-57P03) become
 * {@link DatabaseUnavailableError}; a pool acquire that timed out, {@link PoolExhaustedError};
 * a write refused by a replica or a read-only transaction (25006, 0A000 "... during
 * recovery"), {@link ReadOnlyDatabaseError}. Serialization failures and deadlocks
 * are classified by the transaction service, which knows the attempt count.
 *
 * @example
 * ```ts
 * try { await query.execute() } catch (e) { throw toDatabaseError(e) }
 * ```
 */
export function toDatabaseError(error: unknown): unknown {
  if (error instanceof UpstreamError) return error
  const fields = fieldsOf(error)
  const code = fields.code
  if (code === undefined) {
    const sys = typeof error === 'object' && error !== null && 'code' in error ? (error as { code: unknown }).code : undefined
    if (typeof sys === 'string' && NETWORK_CODES.has(sys)) return new DatabaseUnavailableError({}, { cause: error })
    // pg-pool's own words when a queued acquire outlives connectionTimeoutMillis
    if (error instanceof Error && error.message === 'timeout exceeded when trying to connect') return new PoolExhaustedError({}, { cause: error })
    if (error instanceof Error && /Connection terminated|connection is closed|Client has encountered a connection error/i.test(error.message)) {
      return new DatabaseUnavailableError({}, { cause: error })
    }
    return error
  }
  switch (code) {
    case '23505':
      return new UniqueViolationError(fields, { cause: error })
    case '23503':
      return new ForeignKeyViolationError(fields, { cause: error })
    case '23514':
      return new CheckViolationError(fields, { cause: error })
    case '55P03':
      return new LockNotAvailableError(fields, { cause: error })
    case '57014':
      return new StatementTimeoutError(fields, { cause: error })
    case '25006': // read_only_sql_transaction: a write on a hot standby, or in a READ ONLY transaction
      return new ReadOnlyDatabaseError(fields, { cause: error })
    case '0A000': // feature_not_supported; on a standby: "cannot set transaction read-write mode during recovery"
      if (error instanceof Error && /during recovery/i.test(error.message)) return new ReadOnlyDatabaseError(fields, { cause: error })
      break
    case '42501':
      if (error instanceof Error && /row-level security/i.test(error.message)) return new RowSecurityViolationError(fields, { cause: error })
      break
  }
  if (code.startsWith('08') || code.startsWith('53') || code === '57P01' || code === '57P02' || code === '57P03') {
    return new DatabaseUnavailableError(fields, { cause: error })
  }
  return error
}
