import type { Kysely, SelectQueryBuilder, StringReference } from 'kysely'
import type { FilterField } from './filter-field.js'
import type { ListParams, ListQuery, OrderingTerm } from './list-query.js'
import type { CountStrategy, ListSpecDescription, PaginationStyle } from './list-spec-description.js'
import type { OrderingField } from './ordering-field.js'
import type { SearchField, SearchFieldSpec } from './search-field.js'

/**
 * The column names (and `table.column` references) of a query, as Kysely checks them.
 *
 * @example
 * ```ts
 * type ClaimColumn = ColumnOf<ClaimsDatabase, 'claim_records'> // 'id' | 'status' | ... | 'claim_records.id' | ...
 * const column: ClaimColumn = 'claim_records.service_date'
 * // const typo: ClaimColumn = 'service_dat' // does not compile
 * ```
 */
export type ColumnOf<DB, TB extends keyof DB> = StringReference<DB, TB> & string

/**
 * An ordering term as written in a spec or a URL: `field` or `-field`.
 *
 * @example
 * ```ts
 * const newestFirst: OrderingTermSpec<'service_date' | 'billed_amount'> = '-service_date' // ?ordering=-service_date
 * const ordering: readonly OrderingTermSpec<'service_date' | 'billed_amount'>[] = ['-service_date', 'billed_amount']
 * ```
 */
export type OrderingTermSpec<OF extends string> = OF | `-${OF}`

/**
 * What {@link defineListSpec} takes. `DB`, `TB` and `O` come from `query`; every column named
 * anywhere else is checked against them by the compiler.
 *
 * @example
 * ```ts
 * const config: ListSpecConfig<ClaimsDatabase, 'uploads', Upload, 'status', 'uploaded_at'> = {
 *   name: 'uploads',
 *   query: (db) => db.selectFrom('uploads').selectAll(),
 *   filters: { status: filter.enum('status', UPLOAD_STATUSES) },
 *   ordering: { fields: { uploaded_at: 'uploaded_at' }, default: ['-uploaded_at'] },
 * }
 * ```
 */
export interface ListSpecConfig<DB, TB extends keyof DB, O, F extends string, OF extends string> {
  /** A stable name: part of every cursor's binding and of count-cache keys. */
  readonly name: string
  /** The base query: tables, joins, selections and fixed conditions. */
  readonly query: (db: Kysely<DB>) => SelectQueryBuilder<DB, TB, O>
  /** Filters by parameter name. */
  readonly filters?: { readonly [K in F]: FilterField<ColumnOf<DB, TB>> }
  /** Search fields with DRF's prefixes; omit for no `search` parameter. */
  readonly search?: readonly SearchFieldSpec<ColumnOf<DB, TB>>[]
  /**
   * Run the search as `<key> in (select <key> from <from> where <search>)` over another relation
   * (a view with the searched columns), instead of on the list's query directly. The domain lists
   * use it to let trigram indexes serve searches under row-level security.
   *
   * `column`, when given, names a column of `from` holding every search field joined by a single
   * space (`claim_number || ' ' || payer_name || ' ' || cpt_code`): each term then becomes one
   * `column ilike '%term%'` instead of one `ilike` per field, and one trigram index on that
   * expression serves the search. The rows are the same, because a term never contains
   * whitespace (terms are split on it) and its LIKE wildcards are escaped, so it cannot match
   * across the space. Only for `icontains` fields (no `^`, `=` or `@` prefix).
   */
  readonly searchVia?: { readonly from: string; readonly key: ColumnOf<DB, TB>; readonly column?: string }
  /**
   * Rows a searched page may first walk in the page's own order (default 0: no walk). A
   * search through a trigram index collects every match and sorts them, which costs most for
   * the frequent terms (a payer in 8% of the rows: thousands of matches for a 25-row page).
   * With a walk, the page is read along the ordering's index, the search tested on each row
   * (the search fields as columns of the list's query, the same rows `searchVia` finds); when
   * the walk's first `searchWalk` rows hold the page, that is the answer, else the search goes
   * through its index as without a walk, in the same statement. Worth it where searches are
   * frequent terms and the orderings have indexes; a rare term pays the walk on top.
   */
  readonly searchWalk?: number
  /** Ordering: public names -> columns, the default terms, the unique tiebreaker (default `id`), whether the `ordering` parameter is accepted (default true). */
  readonly ordering: {
    readonly fields: { readonly [K in OF]: ColumnOf<DB, TB> | OrderingField<ColumnOf<DB, TB>> }
    readonly default: readonly OrderingTermSpec<NoInfer<OF>>[]
    readonly tiebreaker?: ColumnOf<DB, TB>
    readonly param?: boolean
  }
  /** Pagination styles (default `['page-number']`) and the default one (default: the first). */
  readonly pagination?: { readonly styles: readonly PaginationStyle[]; readonly default?: PaginationStyle }
  /** Page sizes: default 50, max 500 (larger values are clamped). */
  readonly pageSize?: { readonly default?: number; readonly max?: number }
  /** Count strategy, default `{ kind: 'exact' }`. */
  readonly count?: CountStrategy
  /**
   * Count strategy of searched pages (`search=` given). Default: with an `estimated` count,
   * exact up to {@link SEARCH_COUNT_THRESHOLD} matches, then the planner's estimate (flagged
   * `count_is_estimate: true`), so a search's first page costs about what its rows cost;
   * otherwise the list's `count`.
   */
  readonly searchCount?: CountStrategy
  /** Deepest offset for page-number and limit-offset pages; deeper -> 400 pointing to the cursor. Default: no limit. */
  readonly maxOffset?: number
}

/**
 * The normalized settings of a list spec, as the runner reads them.
 *
 * @example
 * ```ts
 * claimsListSpec.settings.pageSize.max // 500
 * ```
 */
export interface ListSpecSettings {
  readonly name: string
  readonly filters: Readonly<Record<string, FilterField>>
  readonly search: readonly SearchField[]
  readonly searchVia: { readonly from: string; readonly key: string; readonly column?: string } | undefined
  /** Rows a searched page may walk in its order before the search index is asked (0: none). */
  readonly searchWalk: number
  readonly ordering: {
    readonly fields: Readonly<Record<string, Required<OrderingField>>>
    readonly default: readonly OrderingTerm[]
    readonly tiebreaker: string
    readonly param: boolean
  }
  readonly pagination: { readonly styles: readonly PaginationStyle[]; readonly default: PaginationStyle }
  readonly pageSize: { readonly default: number; readonly max: number }
  readonly count: CountStrategy
  readonly searchCount: CountStrategy
  readonly maxOffset: number | undefined
}

/**
 * A list: a base query plus the filters, search, ordering and pagination it accepts from a URL.
 * Made by {@link defineListSpec}; run with {@link runList}.
 *
 * @example
 * ```ts
 * const query = claimsListSpec.parse(new URLSearchParams('status=paid&page=2')) // throws ValidationError on bad input
 * const page = await runList(trx, claimsListSpec, query, { url: 'https://api.example.com/api/v1/claims/?status=paid&page=2' })
 * ```
 */
export interface ListSpec<DB, TB extends keyof DB, O, F extends string = string, OF extends string = string> {
  /** The list's name. */
  readonly name: string
  /** Normalized settings. */
  readonly settings: ListSpecSettings
  /** The machine-readable description for documentation generators (OpenAPI). */
  readonly description: ListSpecDescription
  /** The base query on `db`. */
  query(db: Kysely<DB>): SelectQueryBuilder<DB, TB, O>
  /**
   * Parses and validates query parameters. Throws `ValidationError` with every problem, per
   * parameter, in DRF's shape (`{"min_amount": ["A valid number is required."]}`).
   */
  parse(params: ListParams): ListQuery<F, OF>
}
