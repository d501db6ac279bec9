import { sql, type RawBuilder, type SqlBool } from 'kysely'
import { escapeLike } from './escape-like.js'
import type { FilterScalar } from './filter-value-schema.js'
import type { FilterCondition } from './list-query.js'
import type { QueryPiece } from './query-piece.js'

const OPS = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const

function or(parts: RawBuilder<SqlBool>[]): RawBuilder<SqlBool> {
  return parts.length === 1 ? parts[0]! : sql<SqlBool>`(${sql.join(parts, sql` or `)})`
}

/**
 * The SQL predicate of one filter condition. Values are always bound parameters; repeated
 * values are OR-ed (exact and `in` become one `in (...)`).
 *
 * @example
 * ```ts
 * filterPredicate({ param: 'min_amount', field: 'min_amount', column: 'billed_amount', lookup: 'gte', values: ['10.50'] })
 * // "billed_amount" >= $1   -- ['10.50']
 * ```
 */
export function filterPredicate(condition: FilterCondition): RawBuilder<SqlBool> {
  const col = sql.ref(condition.column)
  const scalars = condition.values.filter((v): v is FilterScalar => !Array.isArray(v))
  switch (condition.lookup) {
    case 'exact':
    case 'in':
      return scalars.length === 1 ? sql<SqlBool>`${col} = ${scalars[0]}` : sql<SqlBool>`${col} in (${sql.join(scalars)})`
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return or(scalars.map((v) => sql<SqlBool>`${col} ${sql.raw(OPS[condition.lookup as keyof typeof OPS])} ${v}`))
    case 'range':
      return or(
        condition.values
          .filter((v): v is readonly [FilterScalar, FilterScalar] => Array.isArray(v))
          .map(([lo, hi]) => sql<SqlBool>`${col} between ${lo} and ${hi}`),
      )
    case 'isnull':
      return or(scalars.map((v) => (v ? sql<SqlBool>`${col} is null` : sql<SqlBool>`${col} is not null`)))
    case 'icontains':
      return or(scalars.map((v) => sql<SqlBool>`${col} ilike ${`%${escapeLike(String(v))}%`}`))
    case 'istartswith':
      return or(scalars.map((v) => sql<SqlBool>`${col} ilike ${`${escapeLike(String(v))}%`}`))
  }
}

/**
 * Applies parsed filter conditions (AND-ed) to any select query.
 *
 * @example
 * ```ts
 * const query = claimsListSpec.parse({ status: ['paid', 'denied'], min_amount: '100' })
 * db.selectFrom('claim_records').selectAll().$call(applyFilters(query.filters))
 * // where "status" in ($1, $2) and "billed_amount" >= $3
 * ```
 */
export function applyFilters(conditions: readonly FilterCondition[]): QueryPiece {
  return (qb) => conditions.reduce((q, c) => q.where(filterPredicate(c)), qb)
}
