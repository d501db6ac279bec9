/**
 * PostgreSQL isolation levels. Read committed is the default, as in PostgreSQL.
 *
 * @example
 * ```ts
 * const isolation: IsolationLevel = 'repeatable read'
 * const totals = await forTenant(upstream, 7).transaction(async ({ db }) => {
 *   const uploads = await db.selectFrom('uploads').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()
 *   const claims = await db.selectFrom('claim_records').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()
 *   return { uploads: uploads.n, claims: claims.n } // both counts from the same snapshot
 * }, { isolation, readOnly: true })
 * ```
 */
export type IsolationLevel = 'read committed' | 'repeatable read' | 'serializable'

/**
 * What the transaction service tells `onRetry` before it runs the unit of work again.
 *
 * @example
 * ```ts
 * const onRetry = (info: RetryInfo) => console.warn(`attempt ${info.attempt} failed with ${info.sqlState}; retrying in ${info.delayMs} ms`)
 * await forTenant(upstream, 7).transaction(({ uploads }) => uploads.update(12, { status: 'processing' }), { isolation: 'serializable', onRetry })
 * ```
 */
export interface RetryInfo {
  /** The attempt that just failed (1-based). */
  readonly attempt: number
  /** The milliseconds it waits before the next attempt. */
  readonly delayMs: number
  /** The SQLSTATE that caused the retry: `40001` or `40P01`. */
  readonly sqlState: string
  /** The error of the failed attempt. */
  readonly error: unknown
}

/**
 * How the transaction service retries serialization failures and deadlocks.
 *
 * @example
 * ```ts
 * const patient: RetryPolicy = { maxAttempts: 10, baseDelayMs: 20, maxDelayMs: 2000 }
 * await runInTransaction(upstream.db, (trx) => trx.deleteFrom('drift_events').where('id', '=', 1).execute(), { ...patient, isolation: 'serializable' })
 * ```
 */
export interface RetryPolicy {
  /** Total attempts, the first included. Default 5; 1 disables retries. */
  readonly maxAttempts?: number
  /** The first backoff, in ms. Default 10. */
  readonly baseDelayMs?: number
  /** The cap of the exponential backoff, in ms. Default 1000. */
  readonly maxDelayMs?: number
}

/**
 * Options of {@link runInTransaction} and of a tenant's transactions.
 *
 * @example
 * ```ts
 * const options: TransactionOptions = { isolation: 'serializable', lockTimeoutMs: 2000, statementTimeoutMs: 30_000, maxAttempts: 3 }
 * const upload = await forTenant(upstream, 7).transaction(({ uploads }) => uploads.update(12, { status: 'success' }), options)
 * ```
 */
export interface TransactionOptions extends RetryPolicy {
  /** Default `read committed`. */
  readonly isolation?: IsolationLevel
  /** `READ ONLY`: PostgreSQL refuses any write. */
  readonly readOnly?: boolean
  /** `DEFERRABLE` (serializable read-only only): waits for a safe snapshot, then never fails to serialize. */
  readonly deferrable?: boolean
  /** `lock_timeout` for this transaction only, in ms. */
  readonly lockTimeoutMs?: number
  /** `statement_timeout` for this transaction only, in ms. */
  readonly statementTimeoutMs?: number
  /** Called before each retry. */
  readonly onRetry?: (info: RetryInfo) => void
  /**
   * Cancels the transaction: an already-aborted signal rejects before any query; an abort
   * later sends PostgreSQL a cancel request for the running statement, rolls the transaction
   * back, returns the connection to the pool healthy, and rejects with
   * {@link errors!RequestAbortedError} (`cause` = the signal's reason). No retry follows.
   * A transaction whose `COMMIT` already succeeded resolves normally.
   */
  readonly signal?: AbortSignal
}
