import { sql } from 'kysely'
import type { OrderingTerm } from './list-query.js'
import type { ListSpecSettings } from './list-spec.js'
import type { QueryPiece } from './query-piece.js'

/**
 * One resolved sort key: a column, a direction, and whether the column may be NULL.
 * NULLs always sort as the largest value (PostgreSQL's default: last ascending, first
 * descending), so one b-tree index serves both directions.
 *
 * @example
 * ```ts
 * const key: SortKey = { column: 'service_date', direction: 'desc', nullable: false }
 * ```
 */
export interface SortKey {
  readonly column: string
  readonly direction: 'asc' | 'desc'
  readonly nullable: boolean
}

/**
 * Resolves ordering terms to sort keys and appends the unique tiebreaker in the direction of the
 * last term (`-service_date` -> `service_date desc, id desc`).
 *
 * @example
 * ```ts
 * sortKeys(claimsListSpec.settings, [{ field: 'billed_amount', direction: 'asc' }])
 * // [{ column: 'billed_amount', direction: 'asc', nullable: false }, { column: 'id', direction: 'asc', nullable: false }]
 * ```
 */
export function sortKeys(settings: ListSpecSettings, terms: readonly OrderingTerm[]): SortKey[] {
  const keys: SortKey[] = terms.map((t) => {
    const f = settings.ordering.fields[t.field]
    if (!f) throw new TypeError(`Unknown ordering field ${t.field}`)
    return { column: f.column, direction: t.direction, nullable: f.nullable }
  })
  const tiebreaker = settings.ordering.tiebreaker
  if (!keys.some((k) => k.column === tiebreaker)) keys.push({ column: tiebreaker, direction: keys.at(-1)?.direction ?? 'asc', nullable: false })
  return keys
}

/**
 * Reverses every key (for walking backwards with a `previous` cursor); NULLs stay the largest value.
 *
 * @example
 * ```ts
 * reverseKeys([{ column: 'id', direction: 'asc', nullable: false }]) // [{ column: 'id', direction: 'desc', nullable: false }]
 * ```
 */
export function reverseKeys(keys: readonly SortKey[]): SortKey[] {
  return keys.map((k) => ({ ...k, direction: k.direction === 'asc' ? 'desc' : 'asc' }))
}

/**
 * Orders any select query by sort keys. Nullable keys say `nulls last`/`nulls first` explicitly
 * (the same as PostgreSQL's default, written out for the reader).
 *
 * @example
 * ```ts
 * db.selectFrom('claim_records').selectAll().$call(applyOrdering(sortKeys(claimsListSpec.settings, query.ordering)))
 * // order by "service_date" desc, "id" desc
 * ```
 */
export function applyOrdering(keys: readonly SortKey[]): QueryPiece {
  return (qb) =>
    keys.reduce((q, k) => {
      const nulls = k.nullable ? (k.direction === 'asc' ? ' nulls last' : ' nulls first') : ''
      return q.orderBy(sql`${sql.ref(k.column)} ${sql.raw(k.direction + nulls)}`)
    }, qb)
}
