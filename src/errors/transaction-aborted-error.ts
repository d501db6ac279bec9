import { DatabaseError, type PostgresErrorFields } from './database-errors.js'

/**
 * The unit of work returned normally, but a statement inside it had failed (its error
 * caught and swallowed), so PostgreSQL answered `COMMIT` with `ROLLBACK`: nothing was
 * saved. Raised instead of reporting a commit that did not happen (SQLSTATE 25P02).
 *
 * @example
 * ```ts
 * try {
 *   await forTenant(upstream, 7).transaction(async ({ uploads }) => {
 *     await uploads.update(1, { row_count: -1 }).catch(() => undefined) // swallowed
 *   })
 * } catch (e) {
 *   if (e instanceof TransactionAbortedError) console.error('nothing was committed')
 * }
 * ```
 */
export class TransactionAbortedError extends DatabaseError {
  override readonly code = 'transaction_aborted'
  constructor(fields: PostgresErrorFields = { code: '25P02' }, options?: { cause?: unknown }) {
    super('A statement of the transaction failed, so COMMIT rolled it back; nothing was saved.', fields, options)
  }
}
