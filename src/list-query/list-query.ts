import type { FilterScalar } from './filter-value-schema.js'
import type { Lookup, PaginationStyle } from './list-spec-description.js'

/**
 * One value of a parsed query string: a string, a repeated parameter (an array), or a nested
 * object as `qs` (Express 5's `req.query`) makes of `name[key]=value`.
 *
 * @example
 * ```ts
 * const value: ListParamValue = ['paid', 'denied']
 * ```
 */
export type ListParamValue = string | readonly ListParamValue[] | { readonly [key: string]: ListParamValue | undefined }

/**
 * The raw query parameters a list parses: `URLSearchParams`, or a parsed query string as
 * Express 5 (`req.query`, a `ParsedQs`), Koa (`ctx.query`) and `node:querystring` give it (a
 * repeated parameter is an array). A nested object (`?name[key]=value`) is read back as the
 * bracketed parameter it came from (`name[key]`), which no list knows, so it is ignored like
 * any unknown parameter.
 *
 * @example
 * ```ts
 * const params: ListParams = { status: ['paid', 'denied'], page: '2' }
 * await runList(db, productsSpec, req.query, { url }) // Express 5
 * await runList(db, productsSpec, ctx.query, { url }) // Koa
 * ```
 */
export type ListParams = URLSearchParams | { readonly [param: string]: ListParamValue | undefined }

/**
 * One filter of a parsed query: `values` are OR-ed (a repeated parameter matches any of its
 * values); for `in` they are the list, for `range` a `[low, high]` pair per value.
 *
 * @example
 * ```ts
 * const c: FilterCondition = { param: 'min_amount', field: 'min_amount', column: 'billed_amount', lookup: 'gte', values: ['10.50'] }
 * ```
 */
export interface FilterCondition<F extends string = string> {
  /** The parameter as written (`status__in`). */
  readonly param: string
  /** The filter's key in the spec. */
  readonly field: F
  /** The column it applies to. */
  readonly column: string
  /** The lookup. */
  readonly lookup: Lookup
  /** The parsed values (see above). */
  readonly values: readonly (FilterScalar | readonly [FilterScalar, FilterScalar])[]
}

/**
 * One ordering term: a public field name and a direction.
 *
 * @example
 * ```ts
 * const term: OrderingTerm<'service_date'> = { field: 'service_date', direction: 'desc' } // "-service_date"
 * ```
 */
export interface OrderingTerm<OF extends string = string> {
  readonly field: OF
  readonly direction: 'asc' | 'desc'
}

/**
 * Which page a request asks for, per pagination style.
 *
 * @example
 * ```ts
 * const first: PageRequest = { style: 'page-number', page: 1, pageSize: 50 }
 * ```
 */
export type PageRequest =
  | { readonly style: 'page-number'; readonly page: number | 'last'; readonly pageSize: number }
  | { readonly style: 'limit-offset'; readonly limit: number; readonly offset: number }
  | { readonly style: 'cursor'; readonly cursor: string | undefined; readonly pageSize: number }

/**
 * A request's query, parsed and validated by a list spec (`spec.parse(params)`): the filters,
 * search terms, ordering (the user's terms or the default, without the tiebreaker) and page.
 *
 * @example
 * ```ts
 * const query: ListQuery = claimsListSpec.parse(new URLSearchParams('status=paid&ordering=-billed_amount'))
 * query.ordering // [{ field: 'billed_amount', direction: 'desc' }]
 * ```
 */
export interface ListQuery<F extends string = string, OF extends string = string> {
  /** The name of the list spec that parsed it. */
  readonly list: string
  /** Filters, AND-ed. */
  readonly filters: readonly FilterCondition<F>[]
  /** Search terms (each must match at least one search field). */
  readonly search: readonly string[]
  /** Ordering terms, without the tiebreaker. */
  readonly ordering: readonly OrderingTerm<OF>[]
  /** The page asked for. */
  readonly page: PageRequest
}

/**
 * Whether a value is a {@link ListQuery} (already parsed) rather than raw {@link ListParams}.
 *
 * @example
 * ```ts
 * const toQuery = (input: ListQuery | ListParams): ListQuery => (isListQuery(input) ? input : claimsListSpec.parse(input))
 * ```
 */
export function isListQuery(value: unknown): value is ListQuery {
  return typeof value === 'object' && value !== null && !(value instanceof URLSearchParams) && 'list' in value && 'page' in value && 'filters' in value && typeof (value as { list: unknown }).list === 'string' && typeof (value as { page: unknown }).page === 'object'
}

/** The name of a page style's envelope keys, re-exported for readers of {@link PageRequest}. */
export type { PaginationStyle }
