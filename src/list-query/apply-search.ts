import { sql, type RawBuilder, type SqlBool } from 'kysely'
import { escapeLike } from './escape-like.js'
import type { QueryPiece } from './query-piece.js'
import type { SearchField } from './search-field.js'

/** The part of Kysely's select builder the `via` subquery uses (the relation is named at run time). */
interface SubqueryBuilder {
  select(column: RawBuilder<unknown>): SubqueryBuilder
  where(predicate: RawBuilder<SqlBool>): SubqueryBuilder
}

function fieldPredicate(field: SearchField, term: string): RawBuilder<SqlBool> {
  const col = sql.ref(field.column)
  switch (field.mode) {
    case 'icontains':
      return sql<SqlBool>`${col} ilike ${`%${escapeLike(term)}%`}`
    case 'istartswith':
      return sql<SqlBool>`${col} ilike ${`${escapeLike(term)}%`}`
    case 'iexact':
      return sql<SqlBool>`${col} ilike ${escapeLike(term)}`
    case 'fulltext':
      return sql<SqlBool>`to_tsvector('simple', ${col}) @@ plainto_tsquery('simple', ${term})`
  }
}

/**
 * The search as one row predicate on the list's own columns (every term must match one field),
 * without the `via` relation: what {@link applySearch} adds as `where` when there is no `via`.
 * `undefined` without fields or terms.
 *
 * @example
 * ```ts
 * searchPredicate([parseSearchField('payer_name'), parseSearchField('cpt_code')], ['blue'])
 * // ("payer_name" ilike '%blue%' or "cpt_code" ilike '%blue%')
 * ```
 */
export function searchPredicate(fields: readonly SearchField[], terms: readonly string[]): RawBuilder<SqlBool> | undefined {
  if (fields.length === 0 || terms.length === 0) return undefined
  const predicates = terms.map((term) => {
    const parts = fields.map((f) => fieldPredicate(f, term))
    return parts.length === 1 ? parts[0]! : sql<SqlBool>`(${sql.join(parts, sql` or `)})`
  })
  return predicates.length === 1 ? predicates[0]! : sql<SqlBool>`(${sql.join(predicates, sql` and `)})`
}

/**
 * DRF's `SearchFilter` semantics: every term must match (AND), at least one field per term (OR);
 * case-insensitive substring by default, LIKE wildcards in the input escaped. A `pg_trgm` GIN
 * index on a searched column serves the `ilike '%term%'` (terms of 3+ characters).
 *
 * @example
 * ```ts
 * db.selectFrom('claim_records').selectAll().$call(applySearch([parseSearchField('payer_name'), parseSearchField('^claim_number')], ['acme', 'C-1']))
 * // where ("payer_name" ilike $1 or "claim_number" ilike $2) and ("payer_name" ilike $3 or "claim_number" ilike $4)
 * // -- ['%acme%', 'acme%', '%C-1%', 'C-1%']
 * // with via = { from: 'claim_records_search', key: 'id' }:
 * // where "id" = any(array((select "id" from "claim_records_search" where (...) and (...))))
 * // with via = { from: 'claim_records_search', key: 'id', column: 'search_text' }, one ILIKE per term:
 * // where "id" = any(array((select "id" from "claim_records_search" where "search_text" ilike $1 and "search_text" ilike $2)))
 * ```
 */
export function applySearch(fields: readonly SearchField[], terms: readonly string[], via?: { readonly from: string; readonly key: string; readonly column?: string }): QueryPiece {
  return (qb) => {
    if (fields.length === 0 || terms.length === 0) return qb
    const joined = via?.column
    const predicates = terms.map((term) => {
      // one column joining every (icontains) field with a space: one ILIKE, one trigram index
      if (joined !== undefined) return fieldPredicate({ column: joined, mode: 'icontains', spec: joined }, term)
      const parts = fields.map((f) => fieldPredicate(f, term))
      return parts.length === 1 ? parts[0]! : sql<SqlBool>`(${sql.join(parts, sql` or `)})`
    })
    if (!via) return predicates.reduce((q, p) => q.where(p), qb)
    // A builder subquery (not raw SQL), so Kysely's schema plugin qualifies `via.from`.
    // `= any(array(subquery))` makes the subquery an InitPlan, planned on its own: pulled up into
    // the outer query, the outer table's row-level security would keep the ILIKE out of the index.
    return qb.where((eb) => {
      const from = (eb as unknown as { selectFrom(table: string): SubqueryBuilder }).selectFrom(via.from)
      const inner = predicates.reduce((q, p) => q.where(p), from.select(sql.ref(via.key)))
      return eb(sql.ref(via.key) as never, '=', eb.fn('any', [eb.fn('array', [inner as never])]) as never)
    })
  }
}
