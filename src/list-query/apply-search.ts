import { sql, type RawBuilder, type SqlBool } from 'kysely'
import { escapeLike } from './escape-like.js'
import type { QueryPiece } from './query-piece.js'
import type { SearchField } from './search-field.js'

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
 * DRF's `SearchFilter` semantics: every term must match (AND), at least one field per term (OR);
 * case-insensitive substring by default, LIKE wildcards in the input escaped. A `pg_trgm` GIN
 * index on a searched column serves the `ilike '%term%'` (terms of 3+ characters).
 *
 * @example
 * ```ts
 * db.selectFrom('claim_records').selectAll().$call(applySearch([parseSearchField('payer_name'), parseSearchField('^claim_number')], ['acme', 'C-1']))
 * // where ("payer_name" ilike $1 or "claim_number" ilike $2) and ("payer_name" ilike $3 or "claim_number" ilike $4)
 * // -- ['%acme%', 'acme%', '%C-1%', 'C-1%']
 * ```
 */
export function applySearch(fields: readonly SearchField[], terms: readonly string[]): QueryPiece {
  return (qb) => {
    if (fields.length === 0) return qb
    return terms.reduce((q, term) => {
      const parts = fields.map((f) => fieldPredicate(f, term))
      return q.where(parts.length === 1 ? parts[0]! : sql<SqlBool>`(${sql.join(parts, sql` or `)})`)
    }, qb)
  }
}
