import { sql, type Kysely } from 'kysely'
import { DeadlockError, SerializationFailureError } from '../errors/database-errors.js'
import { sqlStateOf, toDatabaseError } from '../errors/to-database-error.js'
import { ValidationError } from '../errors/validation-error.js'
import { backoffDelay } from './backoff-delay.js'
import type { TransactionOptions } from './transaction-options.js'

const RETRYABLE = new Set(['40001', '40P01'])
const ISOLATION = new Set(['read committed', 'repeatable read', 'serializable'])

/** Transaction-local settings applied with `set_config(name, value, true)` right after `BEGIN`. */
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

/**
 * Runs `work` in one transaction on one connection, with the chosen isolation level,
 * access mode and local timeouts, and retries the whole unit on a serialization failure
 * (40001) or a deadlock (40P01) with capped exponential backoff and full jitter.
 * Anything `work` throws rolls the transaction back and is rethrown, classified
 * (see {@link toDatabaseError}). `work` may run more than once: keep side effects
 * outside it, or make them idempotent.
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
  const maxAttempts = nonNegativeInt(options.maxAttempts, 'maxAttempts') ?? 5
  if (maxAttempts < 1) throw new ValidationError({ maxAttempts: ['Must be at least 1.'] })
  const baseDelayMs = nonNegativeInt(options.baseDelayMs, 'baseDelayMs') ?? 10
  const maxDelayMs = nonNegativeInt(options.maxDelayMs, 'maxDelayMs') ?? 1000
  const local: Record<string, string> = { ...settings }
  const lockTimeout = nonNegativeInt(options.lockTimeoutMs, 'lockTimeoutMs')
  const statementTimeout = nonNegativeInt(options.statementTimeoutMs, 'statementTimeoutMs')
  if (lockTimeout !== undefined) local.lock_timeout = `${lockTimeout}ms`
  if (statementTimeout !== undefined) local.statement_timeout = `${statementTimeout}ms`
  const begin = sql.raw(beginStatement(options))
  const entries = Object.entries(local)
  const configure =
    entries.length === 0
      ? undefined
      : sql`select ${sql.join(entries.map(([k, v]) => sql`set_config(${k}, ${v}, true)`))}`

  for (let attempt = 1; ; attempt++) {
    try {
      return await db.connection().execute(async (conn) => {
        await begin.execute(conn)
        try {
          if (configure) await configure.execute(conn)
          const result = await work(conn)
          await sql`commit`.execute(conn)
          return result
        } catch (error) {
          await sql`rollback`.execute(conn).catch(() => undefined)
          throw error
        }
      })
    } catch (error) {
      const state = sqlStateOf(error)
      if (state !== undefined && RETRYABLE.has(state)) {
        if (attempt < maxAttempts) {
          const delayMs = backoffDelay(attempt, baseDelayMs, maxDelayMs)
          options.onRetry?.({ attempt, delayMs, sqlState: state, error })
          if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs))
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
