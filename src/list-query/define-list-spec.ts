import type { Kysely, SelectQueryBuilder } from 'kysely'
import { describeListSpec } from './describe-list-spec.js'
import type { ListParams, ListQuery, OrderingTerm } from './list-query.js'
import type { ListSpec, ListSpecConfig, ListSpecSettings } from './list-spec.js'
import type { CountStrategy } from './list-spec-description.js'
import type { OrderingField } from './ordering-field.js'
import { parseListParams } from './parse-list-params.js'
import { parseSearchField } from './search-field.js'

/**
 * Thrown by {@link defineListSpec} for a spec that cannot work (a programming error, not bad input).
 *
 * @example
 * ```ts
 * try {
 *   defineListSpec({
 *     name: 'claims',
 *     query: (db: Kysely<ClaimsDatabase>) => db.selectFrom('claim_records').selectAll(),
 *     ordering: { fields: { service_date: 'service_date' }, default: ['-service_date'] },
 *     pagination: { styles: [] },
 *   })
 * } catch (error) {
 *   if (error instanceof ListSpecDefinitionError) console.error(error.message) // List claims: at least one pagination style is needed.
 * }
 * ```
 */
export class ListSpecDefinitionError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ListSpecDefinitionError'
  }
}

function parseTerm(term: string): OrderingTerm {
  return term.startsWith('-') ? { field: term.slice(1), direction: 'desc' } : { field: term, direction: 'asc' }
}

/**
 * Where the default count of a searched page stops counting exactly: past this many matches a
 * list with an `estimated` count answers the planner's estimate (`count_is_estimate: true`).
 *
 * @example
 * ```ts
 * SEARCH_COUNT_THRESHOLD // 1000
 * ```
 */
export const SEARCH_COUNT_THRESHOLD = 1000

function defaultSearchCount(count: CountStrategy): CountStrategy {
  if (count.kind !== 'estimated') return count
  return { kind: 'estimated', threshold: Math.min(count.threshold, SEARCH_COUNT_THRESHOLD) }
}

/**
 * Defines a list over any Kysely query. The base `query` fixes the tables (and so the column
 * names the compiler accepts everywhere else in the spec); filters, search fields, ordering
 * fields and the tiebreaker are checked against it.
 *
 * @example
 * ```ts
 * import { defineListSpec, filter } from 'upstream'
 *
 * const ordersList = defineListSpec({
 *   name: 'orders',
 *   query: (db: Kysely<AppDatabase>) => db.selectFrom('orders').select(['id', 'placed_at', 'total', 'state']),
 *   filters: {
 *     state: filter.enum('state', ['open', 'shipped']),
 *     min_total: filter.decimal('total', { as: 'gte', lookups: [] }),
 *   },
 *   search: ['reference', '^customer_email'],
 *   ordering: { fields: { placed_at: 'placed_at', total: 'total' }, default: ['-placed_at'] },
 *   pagination: { styles: ['page-number', 'cursor'] },
 *   count: { kind: 'estimated', threshold: 10_000 },
 * })
 * // ordersList.parse(new URLSearchParams('state=open&ordering=-total'))
 * // a misspelled column (`filter.enum('sate', ...)`) does not compile.
 * ```
 */
export function defineListSpec<DB, TB extends keyof DB, O, const F extends string = never, const OF extends string = never>(
  config: ListSpecConfig<DB, TB, O, F, OF>,
): ListSpec<DB, TB, O, F, OF> {
  const fields: Record<string, Required<OrderingField>> = {}
  for (const [name, f] of Object.entries(config.ordering.fields) as [string, string | OrderingField][]) {
    fields[name] = typeof f === 'string' ? { column: f, nullable: false } : { column: f.column, nullable: f.nullable ?? false }
  }
  const styles = config.pagination?.styles ?? ['page-number']
  if (styles.length === 0) throw new ListSpecDefinitionError(`List ${config.name}: at least one pagination style is needed.`)
  const defaults = config.ordering.default.map(parseTerm)
  for (const t of defaults) if (!fields[t.field]) throw new ListSpecDefinitionError(`List ${config.name}: default ordering field ${t.field} is not an ordering field.`)
  const settings: ListSpecSettings = Object.freeze({
    name: config.name,
    filters: Object.freeze({ ...(config.filters ?? {}) }) as ListSpecSettings['filters'],
    search: Object.freeze((config.search ?? []).map((s: string) => parseSearchField(s))),
    searchVia: config.searchVia
      ? Object.freeze(
          config.searchVia.column === undefined
            ? { from: config.searchVia.from, key: config.searchVia.key }
            : { from: config.searchVia.from, key: config.searchVia.key, column: config.searchVia.column },
        )
      : undefined,
    searchWalk: config.searchWalk ?? 0,
    ordering: Object.freeze({ fields: Object.freeze(fields), default: Object.freeze(defaults), tiebreaker: config.ordering.tiebreaker ?? 'id', param: config.ordering.param ?? true }),
    pagination: Object.freeze({ styles: Object.freeze([...styles]), default: config.pagination?.default ?? styles[0]! }),
    pageSize: Object.freeze({ default: config.pageSize?.default ?? 50, max: config.pageSize?.max ?? 500 }),
    count: config.count ?? { kind: 'exact' as const },
    searchCount: config.searchCount ?? defaultSearchCount(config.count ?? { kind: 'exact' as const }),
    maxOffset: config.maxOffset,
  })
  if (!Number.isSafeInteger(settings.searchWalk) || settings.searchWalk < 0) throw new ListSpecDefinitionError(`List ${config.name}: searchWalk must be a whole number of rows (0 for none), not ${String(config.searchWalk)}.`)
  if (settings.searchVia?.column !== undefined) {
    const other = settings.search.find((f) => f.mode !== 'icontains')
    if (other) throw new ListSpecDefinitionError(`List ${config.name}: searchVia.column serves only icontains search fields, not ${other.spec}.`)
  }
  if (!settings.pagination.styles.includes(settings.pagination.default)) throw new ListSpecDefinitionError(`List ${config.name}: the default pagination style is not one of its styles.`)
  return Object.freeze({
    name: config.name,
    settings,
    description: describeListSpec(settings),
    query: (db: Kysely<DB>): SelectQueryBuilder<DB, TB, O> => config.query(db),
    parse: (params: ListParams) => parseListParams(settings, params) as ListQuery<F, OF>,
  })
}
