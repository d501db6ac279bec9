import type { Span } from '@opentelemetry/api'
import { CompiledQuery, sql, type Kysely } from 'kysely'
import { supportsMultiStatement } from '../db/internal.js'
import { DeadlockError, SerializationFailureError } from '../errors/index.js'
import { sqlStateOf, toDatabaseError } from '../errors/index.js'
import { TransactionAbortedError } from '../errors/index.js'
import { RequestAbortedError, ValidationError } from '../errors/index.js'
import { inSpan, TRACE_ATTRIBUTES } from '../tracing/index.js'
import { withAbortGuard, type AbortGuard } from './abort-guard.js'
import { backoffDelay } from './backoff-delay.js'
import type { TransactionOptions } from './transaction-options.js'

const RETRYABLE = new Set(['40001', '40P01'])
const ISOLATION = new Set(['read committed', 'repeatable read', 'serializable'])

/**
 * Transaction-local settings applied with `set_config(name, value, true)` right after `BEGIN`.
 *
 * @example
 * ```ts
 * const settings: LocalSettings = { [TENANT_SETTING]: '7', role: upstream.runtimeRole } // what forTenant(upstream, 7) sets
 * const uploads = await runInTransaction(upstream.db, (trx) => trx.selectFrom('uploads').selectAll().execute(), { readOnly: true }, settings)
 * ```
 */
export type LocalSettings = Readonly<Record<string, string>>

function nonNegativeInt(value: number | undefined, name: string): number | undefined {
  if (value === undefined) return undefined
  if (!Number.isInteger(value) || value < 0) throw new ValidationError({ [name]: ['Must be a non-negative integer.'] })
  return value
}

function beginStatement(options: TransactionOptions): string {
  const isolation = options.isolation ?? 'read committed'
  if (!ISOLATION.has(isolation)) throw new ValidationError({ isolation: [`Must be one of: ${[...ISOLATION].join(', ')}.`] })
  let text = `start transaction isolation level ${isolation}`
  text += options.readOnly ? ' read only' : ' read write'
  if (options.deferrable) text += ' deferrable'
  return text
}

// Names and values safe to inline as SQL literals: the one-round-trip start is used only
// for these (tenant ids, role names, '250ms'); anything else goes as bound parameters.
const SETTING_NAME = /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/
const SETTING_VALUE = /^[A-Za-z0-9_.:-]{0,100}$/

/**
 * How a transaction starts: on `pg`, `START TRANSACTION ...; SELECT set_config(...)` as one
 * simple-protocol string (one round trip, literals validated above); otherwise (PGlite, or
 * a value that is not a plain token) `START TRANSACTION` then a parameterized `set_config`.
 */
function startStatements<DB>(db: Kysely<DB>, begin: string, entries: readonly (readonly [string, string])[]): CompiledQuery[] {
  if (entries.length === 0) return [CompiledQuery.raw(begin, [])]
  const inline = supportsMultiStatement(db) && entries.every(([k, v]) => SETTING_NAME.test(k) && SETTING_VALUE.test(v))
  if (inline) {
    return [CompiledQuery.raw(`${begin}; select ${entries.map(([k, v]) => `set_config('${k}', '${v}', true)`).join(', ')}`, [])]
  }
  // compiled here (once per call, not per attempt) with the dialect's placeholders
  return [CompiledQuery.raw(begin, []), sql`select ${sql.join(entries.map(([k, v]) => sql`set_config(${k}, ${v}, true)`))}`.compile(db)]
}

// Precompiled: no query building, no plugin pass for the transaction's own statements.
const COMMIT = CompiledQuery.raw('commit', [])
const ROLLBACK = CompiledQuery.raw('rollback', [])

/**
 * Runs `work` in one transaction on one connection, with the chosen isolation level,
 * access mode and local timeouts, and retries the whole unit on a serialization failure
 * (40001) or a deadlock (40P01) with capped exponential backoff and full jitter.
 * Anything `work` throws rolls the transaction back and is rethrown, classified
 * (see {@link toDatabaseError}). `work` may run more than once: keep side effects
 * outside it, or make them idempotent.
 *
 * Traced as one `transaction` span (isolation, read-only, attempts; a `retry` event per
 * retried attempt with its SQLSTATE and backoff) over the spans of its statements, once the
 * app installs an OpenTelemetry SDK (see docs/observability.md).
 *
 * @param settings - extra transaction-local settings (`set_config(k, v, true)`), such as the tenant.
 *
 * @example
 * ```ts
 * const total = await runInTransaction(upstream.db, async (trx) => {
 *   const row = await trx.selectFrom('uploads').select('row_count').where('id', '=', 1).forUpdate().executeTakeFirst()
 *   return row?.row_count ?? 0
 * }, { isolation: 'serializable', maxAttempts: 10, onRetry: (i) => console.warn('retry', i.attempt) })
 * ```
 */
export async function runInTransaction<DB, T>(
  db: Kysely<DB>,
  work: (trx: Kysely<DB>) => Promise<T>,
  options: TransactionOptions = {},
  settings: LocalSettings = {},
): Promise<T> {
  return runInTransactionWith(db, work, options, settings, {})
}

/**
 * What {@link runInTransactionWith} runs around the work on the transaction's connection:
 * `afterStart` right after the transaction's start (each attempt), `afterCommit` once the
 * commit succeeded. Internal (replica routing).
 *
 * @example
 * ```ts
 * const hooks: TransactionHooks<Db> = { afterCommit: (conn) => router.afterWrite(7, conn) }
 * ```
 */
export interface TransactionHooks<DB> {
  readonly afterStart?: (conn: Kysely<DB>) => Promise<void>
  readonly afterCommit?: (conn: Kysely<DB>) => Promise<void>
}

/**
 * {@link runInTransaction} with {@link TransactionHooks}. Internal.
 *
 * @example
 * ```ts
 * await runInTransactionWith(db, work, { readOnly: true }, settings, { afterStart: (conn) => checkReplay(conn) })
 * ```
 */
export async function runInTransactionWith<DB, T>(
  db: Kysely<DB>,
  work: (trx: Kysely<DB>) => Promise<T>,
  options: TransactionOptions,
  settings: LocalSettings,
  hooks: TransactionHooks<DB>,
): Promise<T> {
  const maxAttempts = nonNegativeInt(options.maxAttempts, 'maxAttempts') ?? 5
  if (maxAttempts < 1) throw new ValidationError({ maxAttempts: ['Must be at least 1.'] })
  const baseDelayMs = nonNegativeInt(options.baseDelayMs, 'baseDelayMs') ?? 10
  const maxDelayMs = nonNegativeInt(options.maxDelayMs, 'maxDelayMs') ?? 1000
  const local: Record<string, string> = { ...settings }
  const lockTimeout = nonNegativeInt(options.lockTimeoutMs, 'lockTimeoutMs')
  const statementTimeout = nonNegativeInt(options.statementTimeoutMs, 'statementTimeoutMs')
  if (lockTimeout !== undefined) local.lock_timeout = `${lockTimeout}ms`
  if (statementTimeout !== undefined) local.statement_timeout = `${statementTimeout}ms`
  const start = startStatements(db, beginStatement(options), Object.entries(local))
  const plan: AttemptPlan<DB> = { start, maxAttempts, baseDelayMs, maxDelayMs, hooks }
  RequestAbortedError.throwIfAborted(options.signal) // before any query
  return inSpan('transaction', {}, (span) => runAttempts(db, work, options, plan, span))
}

/** What {@link runInTransaction} resolved from its options before the first attempt. */
interface AttemptPlan<DB> {
  readonly start: readonly CompiledQuery[]
  readonly maxAttempts: number
  readonly baseDelayMs: number
  readonly maxDelayMs: number
  readonly hooks: TransactionHooks<DB>
}

async function runAttempts<DB, T>(
  db: Kysely<DB>,
  work: (trx: Kysely<DB>) => Promise<T>,
  options: TransactionOptions,
  { start, maxAttempts, baseDelayMs, maxDelayMs, hooks }: AttemptPlan<DB>,
  span: Span,
): Promise<T> {
  const recording = span.isRecording()
  if (recording) {
    span.setAttribute(TRACE_ATTRIBUTES.transactionIsolation, options.isolation ?? 'read committed')
    span.setAttribute(TRACE_ATTRIBUTES.transactionReadOnly, options.readOnly === true)
  }
  for (let attempt = 1; ; attempt++) {
    if (recording) span.setAttribute(TRACE_ATTRIBUTES.transactionAttempts, attempt)
    try {
      return await withAbortGuard(options.signal, (guard) => db.connection().execute((conn) => attemptOn(conn, work, start, guard, hooks)))
    } catch (error) {
      if (error instanceof RequestAbortedError) throw error
      const state = sqlStateOf(error)
      if (state !== undefined && RETRYABLE.has(state)) {
        if (attempt < maxAttempts) {
          const delayMs = backoffDelay(attempt, baseDelayMs, maxDelayMs)
          if (recording) {
            span.addEvent('retry', { [TRACE_ATTRIBUTES.retryAttempt]: attempt, [TRACE_ATTRIBUTES.retrySqlState]: state, [TRACE_ATTRIBUTES.retryDelayMs]: delayMs })
          }
          options.onRetry?.({ attempt, delayMs, sqlState: state, error })
          if (delayMs > 0) await sleep(delayMs, options.signal)
          RequestAbortedError.throwIfAborted(options.signal)
          continue
        }
        const fields = { code: state }
        throw state === '40001'
          ? new SerializationFailureError(fields, attempt, { cause: error })
          : new DeadlockError(fields, attempt, { cause: error })
      }
      throw toDatabaseError(error)
    }
  }
}

/** One attempt on one held connection: start, work, commit; roll back on any failure. */
async function attemptOn<DB, T>(
  conn: Kysely<DB>,
  work: (trx: Kysely<DB>) => Promise<T>,
  start: readonly CompiledQuery[],
  guard: AbortGuard | undefined,
  hooks: TransactionHooks<DB>,
): Promise<T> {
  guard?.watch()
  let result: T
  try {
    // inside the try: a failed set_config leaves the transaction open (aborted) otherwise
    for (const statement of start) await conn.executeQuery(statement)
    if (hooks.afterStart) await hooks.afterStart(conn)
    result = await work(guard ? guard.wrap(conn) : conn)
    if (guard?.aborted) throw guard.error() // the caller is gone: roll back rather than commit
    const committed = await conn.executeQuery<{ command?: string }>(COMMIT)
    // PostgreSQL answers COMMIT of an aborted transaction (an error the work swallowed) with ROLLBACK
    if (committed.rows[0]?.command === 'ROLLBACK') throw new TransactionAbortedError()
  } catch (error) {
    if (!guard) {
      await conn.executeQuery(ROLLBACK).catch(() => undefined)
      throw error
    }
    await guard.settle() // a cancel request in flight must not reach the ROLLBACK
    const rolledBack = await conn.executeQuery(ROLLBACK).then(
      () => true,
      () => false,
    )
    if (!rolledBack) guard.discard()
    throw guard.aborted ? guard.error() : error
  } finally {
    await guard?.release()
  }
  // committed: on the same connection, outside the rollback path
  if (hooks.afterCommit) await hooks.afterCommit(conn)
  return result
}

/** Waits `ms`, or less when `signal` fires first. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms)
    function done() {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    signal?.addEventListener('abort', done, { once: true })
  })
}
