/**
 * How a search field matches a term, after DRF's prefixes: none -> `icontains`,
 * `^` -> `istartswith`, `=` -> `iexact`, `@` -> full text (`to_tsvector @@ plainto_tsquery`).
 *
 * @example
 * ```ts
 * const mode: SearchMode = 'istartswith' // from '^claim_number'
 * ```
 */
export type SearchMode = 'icontains' | 'istartswith' | 'iexact' | 'fulltext'

/**
 * A search field as declared in a list spec: a column with an optional DRF prefix.
 *
 * @example
 * ```ts
 * const fields: readonly SearchFieldSpec<'payer_name' | 'claim_number'>[] = ['payer_name', '^claim_number']
 * ```
 */
export type SearchFieldSpec<Column extends string = string> = Column | `^${Column}` | `=${Column}` | `@${Column}`

/**
 * A search field resolved from its {@link SearchFieldSpec}.
 *
 * @example
 * ```ts
 * parseSearchField('^claim_number') // { column: 'claim_number', mode: 'istartswith', spec: '^claim_number' }
 * ```
 */
export interface SearchField {
  readonly column: string
  readonly mode: SearchMode
  readonly spec: string
}

/**
 * Resolves a DRF-style search field declaration.
 *
 * @example
 * ```ts
 * parseSearchField('=cpt_code').mode // 'iexact'
 * ```
 */
export function parseSearchField(spec: string): SearchField {
  const prefix = spec[0]
  if (prefix === '^') return { column: spec.slice(1), mode: 'istartswith', spec }
  if (prefix === '=') return { column: spec.slice(1), mode: 'iexact', spec }
  if (prefix === '@') return { column: spec.slice(1), mode: 'fulltext', spec }
  return { column: spec, mode: 'icontains', spec }
}

/**
 * Splits a `search` value into terms as DRF does: on whitespace and commas, empty terms dropped.
 *
 * @example
 * ```ts
 * splitSearchTerms('acme,  99213 ') // ['acme', '99213']
 * ```
 */
export function splitSearchTerms(value: string): string[] {
  return value.split(/[\s,]+/u).filter((t) => t.length > 0)
}
