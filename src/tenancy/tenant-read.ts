import { DEFAULT_READ_TIMEOUTS, type UpstreamDatabase } from '../db/index.js'
import { LockNotAvailableError, StatementTimeoutError } from '../errors/index.js'
import type { TransactionOptions } from '../transactions/index.js'
import type { TenantReadOptions } from './for-tenant.js'

/**
 * Attempts of a tenant read. A read-committed read-only transaction never fails to
 * serialize on a primary; on a hot standby, replay cancels a read that holds back a
 * conflicting change (SQLSTATE 40001 "conflict with recovery"): running it again, on a
 * fresh snapshot, is safe, so reads are retried that often.
 *
 * @example
 * ```ts
 * TENANT_READ_ATTEMPTS // 3
 * ```
 */
export const TENANT_READ_ATTEMPTS = 3

/**
 * The transaction options of a tenant read: read only, read committed, the database's read
 * timeouts unless the call gives its own, and retries of recovery conflicts.
 *
 * @example
 * ```ts
 * runInTransaction(upstream.db, work, tenantReadOptions(upstream, { statementTimeoutMs: 2000 }), settings)
 * ```
 */
export function tenantReadOptions<DB>(upstream: UpstreamDatabase<DB>, options: TenantReadOptions = {}): TransactionOptions {
  const defaults = upstream.readTimeouts ?? DEFAULT_READ_TIMEOUTS
  return {
    readOnly: true,
    isolation: 'read committed',
    maxAttempts: TENANT_READ_ATTEMPTS,
    statementTimeoutMs: options.statementTimeoutMs ?? defaults.statementTimeoutMs,
    lockTimeoutMs: options.lockTimeoutMs ?? defaults.lockTimeoutMs,
    ...(options.signal ? { signal: options.signal } : {}),
  }
}

/**
 * A read that waited past its `lock_timeout` locked no row and conflicts with nothing: it
 * ran out of time waiting for a table another session holds, so it is reported as the
 * timeout it is ({@link StatementTimeoutError}, HTTP 503), not as a row conflict (409).
 *
 * @example
 * ```ts
 * await run(work).catch((e) => { throw readFailure(e) })
 * ```
 */
export function readFailure(error: unknown): unknown {
  if (error instanceof LockNotAvailableError) return new StatementTimeoutError({ code: error.sqlState }, { cause: error })
  return error
}
