import type { SelectQueryBuilder } from 'kysely'

/**
 * A composable step over any Kysely select query: filters, search, ordering and pagination are
 * all of this shape, so they apply to an application's own tables too and chain with `$call`.
 *
 * @example
 * ```ts
 * const rows = await db.selectFrom('claim_records').selectAll()
 *   .$call(applyFilters(query.filters))
 *   .$call(applySearch(claimsListSpec.settings.search, query.search))
 *   .execute()
 * ```
 */
export type QueryPiece = <DB, TB extends keyof DB, O>(qb: SelectQueryBuilder<DB, TB, O>) => SelectQueryBuilder<DB, TB, O>
