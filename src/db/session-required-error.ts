import { UpstreamError } from '../errors/index.js'

/**
 * Work that needs one PostgreSQL session across several transactions (a TEMP table kept
 * between transactions, `LISTEN`, session settings or session-level advisory locks) was
 * asked of a database reached through a transaction pooler (`createDatabase({ pooler:
 * 'transaction' })`, PgBouncer in `pool_mode = transaction`), where each transaction may run
 * on another server session. Refused rather than silently losing that state: give that work
 * a direct connection (`DATABASE_MIGRATION_URL`, say), or keep it inside one transaction
 * (`withDedicatedConnection(..., { scope: 'transaction' })`). HTTP 500 with the generic body:
 * a deployment mistake, never the client's.
 *
 * @example
 * ```ts
 * try {
 *   await withDedicatedConnection(upstream, work)
 * } catch (error) {
 *   if (error instanceof SessionRequiredError) console.error(error.message) // names the pooler and the fix
 *   throw error
 * }
 * ```
 */
export class SessionRequiredError extends UpstreamError {
  readonly code = 'session_required'
  /** What needed the session, such as `withDedicatedConnection`. */
  readonly operation: string
  constructor(operation: string) {
    super(
      `${operation} needs one PostgreSQL session across transactions, but this database goes through a transaction pooler (pooler: 'transaction'), ` +
        'where consecutive transactions may run on different server sessions. Use a direct connection for it, or keep the work inside one transaction.',
    )
    this.operation = operation
  }
}
