/**
 * How long a tenant read may wait: `statement_timeout` and `lock_timeout` of the short
 * read-only transaction `forTenant(...).read()` opens. Set per database with
 * `createDatabase({ readTimeouts })`, per call with `read(work, { statementTimeoutMs })`.
 * `0` turns a limit off (PostgreSQL's meaning).
 *
 * @example
 * ```ts
 * const readTimeouts: ReadTimeouts = { statementTimeoutMs: 30_000, lockTimeoutMs: 2000 } // a reporting service
 * const upstream = await createDatabase({ connectionString, readTimeouts })
 * ```
 */
export interface ReadTimeouts {
  /** The longest a read statement may run, in ms (lock waits included). */
  readonly statementTimeoutMs: number
  /** The longest a read may wait for a table lock (held by `LOCK TABLE` or DDL), in ms. */
  readonly lockTimeoutMs: number
}

/**
 * The read timeouts when none are configured: statements 10 s, lock waits 500 ms. A read
 * waits for a lock only while another session holds a table in ACCESS EXCLUSIVE mode
 * (`LOCK TABLE`, `ALTER TABLE`, `VACUUM FULL`, `REINDEX`); giving up soon keeps such a
 * table from tying up the pool, so requests to other tables are still answered.
 *
 * @example
 * ```ts
 * DEFAULT_READ_TIMEOUTS // { statementTimeoutMs: 10000, lockTimeoutMs: 500 }
 * ```
 */
export const DEFAULT_READ_TIMEOUTS: ReadTimeouts = Object.freeze({ statementTimeoutMs: 10_000, lockTimeoutMs: 500 })
