import type { LogEvent } from 'kysely'

/**
 * Counts the statements a Kysely instance runs, through its `log` hook, to assert query budgets
 * in tests. Transaction control (`begin`/`start transaction`/`commit`/`rollback`) and the
 * tenant's `set_config` are not counted by default: they are the transaction's, not the page's.
 *
 * @example
 * ```ts
 * const counter = createQueryCounter()
 * const upstream = await createDatabase({ connectionString, log: counter.log })
 * counter.reset()
 * await listClaims(forTenant(upstream, 7), { page_size: '500' }, { url })
 * expect(counter.count).toBeLessThanOrEqual(2)
 * ```
 */
export interface QueryCounter {
  /** Pass as `log` to `createDatabase` (or Kysely's config). */
  readonly log: (event: LogEvent) => void
  /** Statements counted since the last reset. */
  readonly count: number
  /** The SQL of the counted statements, in order. */
  readonly statements: readonly string[]
  /** Starts counting from zero. */
  reset(): void
}

const IGNORED = /^\s*(begin|start transaction|commit|rollback|select set_config\()/i

/**
 * Makes a {@link QueryCounter}. `ignore` decides which statements are not counted.
 *
 * @example
 * ```ts
 * const counter = createQueryCounter({ ignore: () => false }) // count everything
 * ```
 */
export function createQueryCounter(options: { ignore?: (sql: string) => boolean } = {}): QueryCounter {
  const ignore = options.ignore ?? ((s: string) => IGNORED.test(s))
  let statements: string[] = []
  return {
    log: (event: LogEvent) => {
      const text = event.query.sql
      if (!ignore(text)) statements.push(text)
    },
    get count() {
      return statements.length
    },
    get statements() {
      return statements
    },
    reset() {
      statements = []
    },
  }
}
