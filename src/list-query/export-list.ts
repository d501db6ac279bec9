import type { Kysely, SelectQueryBuilder } from 'kysely'
import { applyFilters } from './apply-filters.js'
import { applyOrdering, sortKeys } from './apply-ordering.js'
import { applySearch } from './apply-search.js'
import { EXPORT_PAGING_PARAMS, exportPagingError } from './export-paging-error.js'
import { keysetPredicate, type KeysetValues } from './keyset-predicate.js'
import { stripKeyColumns, withKeyColumns } from './keyset-columns.js'
import { isListQuery, type ListParams, type ListQuery } from './list-query.js'
import type { ListSpec } from './list-spec.js'
import { paramsToMap } from './parse-list-params.js'

/**
 * Options of {@link exportList}.
 *
 * @example
 * ```ts
 * const options: ExportListOptions<AppDatabase, 'tasks', Task> = { batchSize: 1000, signal, scope: { apply: (qb) => qb.where('project_id', '=', 3) } }
 * ```
 */
export interface ExportListOptions<DB = unknown, TB extends keyof DB = keyof DB, O = unknown> {
  /** Rows per batch (one statement each). Default {@link DEFAULT_EXPORT_BATCH_SIZE}. */
  readonly batchSize?: number
  /** Stops the export before its next batch once aborted (a client that went away). */
  readonly signal?: AbortSignal
  /** Conditions of the scope (tenant) added to the list's query, as in `runList`. */
  readonly scope?: { readonly apply?: (qb: SelectQueryBuilder<DB, TB, O>) => SelectQueryBuilder<DB, TB, O> }
}

/**
 * Rows per export batch unless told otherwise.
 *
 * @example
 * ```ts
 * exportList(read, spec, query, { batchSize: DEFAULT_EXPORT_BATCH_SIZE })
 * ```
 */
export const DEFAULT_EXPORT_BATCH_SIZE = 1000

/**
 * Parses the query of an export: the list's own strict parser, and a 400 for any paging
 * parameter (`page`, `page_size`, `cursor`, `limit`, `offset`, `pagination`), since an export
 * has every row. Empty values count as not given, as in lists.
 *
 * @example
 * ```ts
 * parseExportParams(claimsListSpec, new URLSearchParams('status=paid&format=csv')) // a ListQuery
 * parseExportParams(claimsListSpec, new URLSearchParams('format=csv&page=2')) // throws ValidationError { page: [...] }
 * ```
 */
export function parseExportParams<DB, TB extends keyof DB, O>(spec: ListSpec<DB, TB, O, string, string>, params: ListQuery | ListParams): ListQuery {
  if (isListQuery(params)) return params
  const map = paramsToMap(params)
  const paging = EXPORT_PAGING_PARAMS.filter((p) => (map.get(p) ?? []).some((v) => v !== ''))
  if (paging.length > 0) throw exportPagingError(paging)
  return spec.parse(params)
}

/**
 * Every row a list's filters, search and ordering select, in keyset batches: each batch is one
 * statement (`where (keys) > (last row's keys) order by keys limit n`, the cursor pages'
 * predicate and ordering, so the same indexes serve it) run through `read`, which should open
 * one short read-only transaction per batch. Memory stays at one batch whatever the total; a
 * consumer that stops iterating (or an aborted `signal`) stops it before the next batch.
 *
 * The batches are not one snapshot: a row written during the export appears if it sorts after
 * the position already reached. Paging parameters in `params` throw `ValidationError` (see
 * {@link parseExportParams}).
 *
 * @example
 * ```ts
 * const read = <T>(work: (db: Kysely<AppDatabase>) => Promise<T>) => tenant.read(({ db }) => work(db))
 * for await (const rows of exportList(read, tasksSpec, { status: 'open' }, { batchSize: 500 })) process(rows)
 * ```
 */
export function exportList<DB, TB extends keyof DB, O>(
  read: <T>(work: (db: Kysely<DB>) => Promise<T>) => Promise<T>,
  spec: ListSpec<DB, TB, O, string, string>,
  params: ListQuery | ListParams,
  options: ExportListOptions<NoInfer<DB>, NoInfer<TB>, NoInfer<O>> = {},
): AsyncIterable<O[]> {
  // parsed now, so bad input throws before anything is streamed
  const query = parseExportParams(spec, params)
  if (query.list !== spec.settings.name) throw new TypeError(`The query was parsed by list ${query.list}, not ${spec.settings.name}`)
  const batchSize = options.batchSize ?? DEFAULT_EXPORT_BATCH_SIZE
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer, not ${batchSize}`)
  return batches(read, spec, query, batchSize, options)
}

async function* batches<DB, TB extends keyof DB, O>(
  read: <T>(work: (db: Kysely<DB>) => Promise<T>) => Promise<T>,
  spec: ListSpec<DB, TB, O, string, string>,
  query: ListQuery,
  batchSize: number,
  options: ExportListOptions<DB, TB, O>,
): AsyncGenerator<O[], void, undefined> {
  const s = spec.settings
  const keys = sortKeys(s, query.ordering)
  let after: KeysetValues | undefined
  for (;;) {
    if (options.signal?.aborted) return
    const position = after
    const fetched = await read((db) => {
      let q = spec.query(db)
      if (options.scope?.apply) q = options.scope.apply(q)
      q = withKeyColumns(q.$call(applyFilters(query.filters)).$call(applySearch(s.search, query.search, s.searchVia)), keys)
      if (position) q = q.where(keysetPredicate(keys, position))
      return q.$call(applyOrdering(keys)).limit(batchSize).execute() as Promise<O[]>
    })
    const { rows, keys: values } = stripKeyColumns(fetched, keys.length)
    if (rows.length > 0) yield rows
    if (rows.length < batchSize) return
    after = values.at(-1)
  }
}
