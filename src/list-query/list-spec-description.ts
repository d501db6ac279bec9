import type { z } from 'zod'

/**
 * The three pagination styles a list can answer with.
 *
 * - `page-number`: `?page=2&page_size=50`, envelope `{count, next, previous, results}`.
 * - `limit-offset`: `?limit=50&offset=100`, envelope `{count, next, previous, results}`.
 * - `cursor`: `?cursor=<opaque>&page_size=50` (or `?pagination=cursor` for the first page),
 *   envelope `{next, previous, results}`.
 *
 * @example
 * ```ts
 * const style: PaginationStyle = 'cursor'
 * ```
 */
export type PaginationStyle = 'page-number' | 'limit-offset' | 'cursor'

/**
 * Every pagination style, in a stable order.
 *
 * @example
 * ```ts
 * const uploadsList = defineListSpec({
 *   name: 'uploads',
 *   query: (db: Kysely<ClaimsDatabase>) => db.selectFrom('uploads').selectAll(),
 *   ordering: { fields: { uploaded_at: 'uploaded_at' }, default: ['-uploaded_at'] },
 *   pagination: { styles: PAGINATION_STYLES, default: 'cursor' }, // every style; ?pagination=page-number picks another
 * })
 * ```
 */
export const PAGINATION_STYLES = ['page-number', 'limit-offset', 'cursor'] as const satisfies readonly PaginationStyle[]

/**
 * How a list counts its rows (see the count strategies in `docs/list-queries.md`).
 *
 * - `exact`: `count(*)` of the filtered query (the default).
 * - `estimated`: exact while the result has at most `threshold` rows, else the planner's
 *   estimate (`EXPLAIN (FORMAT JSON)`); the envelope then carries `count_is_estimate: true`.
 * - `none`: no count; `count` is `null` in the envelope and `page=last` is refused.
 *
 * @example
 * ```ts
 * const strategy: CountStrategy = { kind: 'estimated', threshold: 10_000 }
 * ```
 */
export type CountStrategy = { readonly kind: 'exact' } | { readonly kind: 'estimated'; readonly threshold: number } | { readonly kind: 'none' }

/**
 * A filter lookup, named as in django-filter. The bare parameter name (`status`) applies the
 * filter's own lookup (usually `exact`); the others are spelled `<name>__<lookup>`.
 *
 * @example
 * ```ts
 * const lookup: Lookup = 'gte' // ?service_date__gte=2025-01-01
 * ```
 */
export type Lookup = 'exact' | 'in' | 'gt' | 'gte' | 'lt' | 'lte' | 'range' | 'isnull' | 'icontains' | 'istartswith'

/**
 * Every lookup, in a stable order.
 *
 * @example
 * ```ts
 * const isLookup = (name: string): name is Lookup => (LOOKUPS as readonly string[]).includes(name)
 * isLookup('icontains') // true
 * isLookup('contains') // false
 * ```
 */
export const LOOKUPS = ['exact', 'in', 'gt', 'gte', 'lt', 'lte', 'range', 'isnull', 'icontains', 'istartswith'] as const satisfies readonly Lookup[]

/**
 * The type of a filter's values, which decides how a parameter is parsed.
 *
 * - `text`: any string (no NUL, at most 1,000 characters).
 * - `enum`: one of a fixed list of strings.
 * - `integer`: a safe integer (ids).
 * - `decimal`: an exact decimal with at most `scale` places within `numeric(precision, scale)`; kept as a string.
 * - `number`: a finite floating-point number.
 * - `date`: a real calendar date, strictly `YYYY-MM-DD`.
 * - `timestamp`: ISO 8601 (`YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS[.ffffff]][Z|±HH:MM]`; UTC when no offset).
 * - `boolean`: `true`/`false`/`1`/`0` (used by `isnull`).
 *
 * @example
 * ```ts
 * const type: FilterValueType = 'decimal'
 * ```
 */
export type FilterValueType = 'text' | 'enum' | 'integer' | 'decimal' | 'number' | 'date' | 'timestamp' | 'boolean'

/**
 * What a query parameter is for.
 *
 * @example
 * ```ts
 * const kind: ListParameterKind = 'filter'
 * ```
 */
export type ListParameterKind = 'filter' | 'search' | 'ordering' | 'pagination'

/**
 * One query parameter a list accepts, described for documentation generators (OpenAPI).
 * Every parameter is `in: query`, optional, with `style: form`.
 *
 * @example
 * ```ts
 * for (const p of claimsListSpec.description.parameters) {
 *   registry.registerParameter(p.name, p.schema.openapi({ param: { name: p.name, in: 'query', explode: p.explode, description: p.description } }))
 * }
 * ```
 */
export interface ListParameterDescription {
  /** The parameter's name as it appears in the URL: `status`, `status__in`, `min_amount`, `page`, `ordering`. */
  readonly name: string
  /** Always `query`. */
  readonly in: 'query'
  /** What the parameter is for. */
  readonly kind: ListParameterKind
  /**
   * The zod schema of ONE raw value of the parameter, as it appears in the URL (always a
   * string schema, with `format`/`pattern`/`enum` where one applies). For `explode: true`
   * parameters the OpenAPI parameter schema is an array of this schema.
   */
  readonly schema: z.ZodType<string>
  /** One sentence for humans, already naming the column, lookup and format. */
  readonly description: string
  /**
   * Whether the parameter may repeat (`status=paid&status=denied`: any of the values matches).
   * In OpenAPI: `schema: {type: array, items: <schema>}`, `style: form`, `explode: true`.
   * Control parameters (`page`, `page_size`, `ordering`, `search`, `cursor`, `limit`,
   * `offset`, `pagination`) never repeat: a repeat is a 400.
   */
  readonly explode: boolean
  /** Whether one value is a comma-separated list (`status__in=paid,denied`, `ordering=-a,b`, `range=a,b`). */
  readonly commaSeparated: boolean
  /**
   * Allowed values, where the set is closed: enum filters, `ordering` terms (every `field`
   * and `-field`), `pagination` styles. For `ordering` each comma-separated item must be one of these.
   */
  readonly enum?: readonly string[]
  /** For filters: the filter's key, the column, the lookup and the value type. */
  readonly filter?: {
    /** The filter's key in the spec (`payer_name`, `min_amount`). */
    readonly field: string
    /** The column (or `table.column` reference) it filters. */
    readonly column: string
    /** What it does with the value. */
    readonly lookup: Lookup
    /** How the value is parsed. */
    readonly valueType: FilterValueType
  }
  /** The pagination styles the parameter belongs to (pagination parameters only). */
  readonly paginationStyles?: readonly PaginationStyle[]
}

/**
 * One key of a response envelope.
 *
 * @example
 * ```ts
 * const key: EnvelopeKey = { name: 'next', type: 'uri', nullable: true, required: true, description: 'URL of the next page.' }
 * ```
 */
export interface EnvelopeKey {
  /** The JSON key. */
  readonly name: 'count' | 'next' | 'previous' | 'results' | 'count_is_estimate'
  /** `integer` (count), `uri` (absolute URL string), `array` (results, items are the row schema), `boolean`. */
  readonly type: 'integer' | 'uri' | 'array' | 'boolean'
  /** Whether the value may be `null`. */
  readonly nullable: boolean
  /** Whether the key is always present. */
  readonly required: boolean
  /** One sentence for humans. */
  readonly description: string
}

/**
 * The JSON envelope of one pagination style.
 *
 * @example
 * ```ts
 * const shape = claimsListSpec.description.envelopes.find((e) => e.style === 'cursor')
 * ```
 */
export interface EnvelopeDescription {
  /** The pagination style answered with this envelope. */
  readonly style: PaginationStyle
  /** The keys, in the order they are serialized. */
  readonly keys: readonly EnvelopeKey[]
}

/**
 * The machine-readable description of a list spec: everything a documentation generator needs
 * to describe the endpoint's query parameters and response envelope. It is derived from the same
 * objects that parse requests (`spec.parse`), so documentation cannot drift from behaviour.
 *
 * Reading guide for an OpenAPI generator:
 * - one OpenAPI query parameter per entry of {@link ListSpecDescription.parameters}
 *   (`explode: true` -> array schema with `style: form, explode: true`);
 * - one response schema per entry of {@link ListSpecDescription.envelopes} (several styles ->
 *   `oneOf`), where the `results` array's items are the endpoint's row schema;
 * - `400` for bad parameters (`{"<param>": ["message"]}`), `404` `{"detail": "Invalid page."}` for
 *   a page past the end (page-number style).
 *
 * @example
 * ```ts
 * import { claimsListSpec } from 'upstream'
 * const d = claimsListSpec.description
 * d.parameters.map((p) => p.name) // ['page', 'page_size', 'pagination', 'cursor', 'ordering', 'search', 'status', 'status__in', ...]
 * d.ordering.default             // ['-service_date']
 * d.pagination.default           // 'page-number'
 * ```
 */
export interface ListSpecDescription {
  /** The list's name (`claims`), also part of every cursor's binding. */
  readonly name: string
  /** Every accepted query parameter (unknown parameters are ignored, as in DRF). */
  readonly parameters: readonly ListParameterDescription[]
  /** Pagination styles: which ones the list answers with, and the default one. */
  readonly pagination: {
    readonly styles: readonly PaginationStyle[]
    readonly default: PaginationStyle
  }
  /** Page sizes (`page_size` and `limit`): the default and the maximum a larger value is clamped to. */
  readonly pageSize: { readonly default: number; readonly max: number }
  /** Ordering: the public field names, every allowed term (`field` and `-field`), the default terms and the tiebreaker column. `fields` is empty when the list's order is fixed. */
  readonly ordering: {
    readonly fields: readonly string[]
    readonly terms: readonly string[]
    readonly default: readonly string[]
    readonly tiebreaker: string
  }
  /** Search: the searched columns with DRF's prefix (`^` starts with, `=` exact, `@` full text, none: contains), or `undefined` when the list has no search. */
  readonly search: { readonly fields: readonly string[] } | undefined
  /** The count strategy. */
  readonly count: CountStrategy
  /** The deepest offset page-number and limit-offset pages may reach (`undefined`: no limit); deeper -> 400 pointing to the cursor. */
  readonly maxOffset: number | undefined
  /** The response envelope of each pagination style of {@link ListSpecDescription.pagination}. */
  readonly envelopes: readonly EnvelopeDescription[]
}
