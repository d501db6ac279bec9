import type { Span } from '@opentelemetry/api'
import { CompiledQuery, sql, type Expression, type Kysely, type SelectQueryBuilder } from 'kysely'
import { compiledPlanKeyOf } from '../db/internal.js'
import { RequestAbortedError, ValidationError } from '../errors/index.js'
import { applyFilters } from './apply-filters.js'
import { applyOrdering, reverseKeys, sortKeys } from './apply-ordering.js'
import { applySearch, searchPredicate } from './apply-search.js'
import { CompiledShapeCache, type ListInputs } from './compiled-shape-cache.js'
import { inlineParameters, shiftPlaceholders } from './compiled-sql.js'
import type { CachedCount, CountCache } from './count-cache.js'
import { cursorBinding, decodeCursor, encodeCursor, type CursorSecrets } from './cursor-codec.js'
import { DeepOffsetError } from './deep-offset-error.js'
import { InvalidPageError } from './invalid-page-error.js'
import { keysetPredicate } from './keyset-predicate.js'
import { stripKeyColumns as stripKeys, withKeyColumns as withKeys } from './keyset-columns.js'
import type { CountedPage, CursorPage, ListPage } from './list-page.js'
import { isListQuery, type ListParams, type ListQuery } from './list-query.js'
import type { ListSpec, ListSpecSettings } from './list-spec.js'
import type { CountStrategy } from './list-spec-description.js'
import { pageUrl } from './page-url.js'
import { walkOrFallback, withoutWalkMatch, WALK_MATCH } from './search-walk.js'
import { inSpan, TRACE_ATTRIBUTES } from '../tracing/index.js'

/**
 * How {@link runList} runs one request. Typed over the list's database `DB`, tables `TB` and
 * row `O`, so `scope.apply` gets a query builder whose column references are checked.
 *
 * @example
 * ```ts
 * const options: RunListOptions<AppDatabase, 'products', Product> = {
 *   url: req.protocol + '://' + req.get('host') + req.originalUrl,
 *   cursorSecret,
 *   scope: { key: `tenant:${tenantId}`, apply: (qb) => qb.where('customer_id', '=', tenantId) },
 * }
 * ```
 */
export interface RunListOptions<DB = unknown, TB extends keyof DB = keyof DB, O = unknown> {
  /** The request's URL (absolute for absolute `next`/`previous` links). */
  readonly url: string | URL
  /** The HMAC secret of cursors, or a list for a rotation: the first signs, all verify (default: {@link defaultCursorSecret}). */
  readonly cursorSecret?: CursorSecrets
  /**
   * The scope (tenant) the request runs in: `key` binds cursors and count-cache entries to it
   * (it must identify every value `apply` puts into the SQL); `apply` adds its conditions to
   * the list's query, with typed column references (a generic `QueryPiece` fits too).
   */
  readonly scope?: { readonly key: string; readonly apply?: (qb: SelectQueryBuilder<DB, TB, O>) => SelectQueryBuilder<DB, TB, O> }
  /**
   * A count cache and the SQL expression of the scope's data version (changes on every committed
   * write). `known`: that version's value (as text) in the snapshot every statement of `db` reads
   * (a `REPEATABLE READ` transaction that has read it already): the count statement then neither
   * reads nor checks it, and a cached count that matches costs no SQL at all.
   */
  readonly countCache?: { readonly store: CountCache; readonly version: Expression<unknown>; readonly known?: string }
  /**
   * The qualified name of the `count_estimate(query text, threshold bigint) returns json` function
   * (migration `0002`) used by the `estimated` strategy in one statement. Without it the
   * estimated strategy runs a capped count and, above the threshold, a separate `EXPLAIN`.
   */
  readonly countEstimateFunction?: string
  /** Overrides the spec's `maxOffset`. */
  readonly maxOffset?: number
  /** Overrides the spec's count strategy. */
  readonly count?: CountStrategy
  /**
   * Compile each query shape once and only bind values afterwards (default `false`). Only for
   * scopes whose `key` identifies every value `apply` puts into the SQL, and list specs whose
   * `query(db)` is a pure function of `db` (no values of the moment such as `new Date()`).
   */
  readonly cacheStatements?: boolean
  /**
   * Stops the list when it fires: checked before each of its statements
   * (`RequestAbortedError`). Cancelling a statement already running is the transaction's
   * part: give the same signal to the read `db` comes from (`tenant.read(work, { signal })`).
   */
  readonly signal?: AbortSignal
}

const statements = new CompiledShapeCache()

interface CountResult {
  readonly count: number
  readonly estimated: boolean
  /** The count came from the count cache (its data version still current). */
  readonly cached?: boolean
}

// The estimate function gets the filtered query as text; the same query text comes back for
// every request of a page shape and its values, so it is made once.
const inlined = new Map<string, string>()

function inlinedOnce(text: string, parameters: readonly unknown[]): string {
  if (!parameters.every((p) => typeof p === 'string' || typeof p === 'number')) return inlineParameters(text, parameters)
  const key = `${text}\u0000${JSON.stringify(parameters)}`
  let out = inlined.get(key)
  if (out === undefined) {
    out = inlineParameters(text, parameters)
    if (inlined.size >= 1000) inlined.clear()
    inlined.set(key, out)
  }
  return out
}

// The data-version expression of a scope, compiled once per expression object and database
// setup (adapter and SQL-changing plugins; a per-request abort guard is none of them).
const versions = new WeakMap<object, { readonly key: object; readonly compiled: CompiledQuery }>()

function compiledVersion<DB>(db: Kysely<DB>, version: Expression<unknown>): CompiledQuery {
  const { key, checks } = compiledPlanKeyOf(db)
  const known = versions.get(version)
  if (known && known.key === key) {
    for (const check of checks) check() // what the compile would have run
    return known.compiled
  }
  const compiled = sql`${version}`.compile(db)
  versions.set(version, { key, compiled })
  return compiled
}

function toNumber(v: unknown): number {
  const n = typeof v === 'number' ? v : Number(v)
  if (!Number.isFinite(n)) throw new TypeError(`Not a count: ${String(v)}`)
  return n
}

function parseJsonCount(v: unknown): CountResult {
  const o = (typeof v === 'string' ? JSON.parse(v) : v) as { count: unknown; estimated: unknown }
  return { count: toNumber(o.count), estimated: o.estimated === true }
}

/**
 * The count of a page as one SQL expression, not run yet: run alone (`select <expr>`), or as
 * a column beside the page's rows. Its value: the count (`bigint`, or the estimate function's
 * `json`) without a count cache; with one, `null` when the cached entry's data version is
 * still current, else `json_build_array(version, count)`. `undefined` for the fallback
 * without `count_estimate` (several statements).
 */
interface CountStatement {
  readonly expr: string
  readonly params: readonly unknown[]
  readonly cached: CachedCount | undefined
  readonly kind: 'bigint' | 'json'
  readonly versioned: boolean
  /** The data version the count is taken at, known before the statement (store the count under it). */
  readonly knownVersion?: string
}

/** A count the cache answered without SQL: its version is the snapshot's, known beforehand. */
interface KnownCount {
  readonly hit: CountResult
}

async function countStatement<DB>(
  db: Kysely<DB>,
  compileInner: () => CompiledQuery,
  strategy: Exclude<CountStrategy, { kind: 'none' }>,
  options: Pick<RunListOptions, 'countCache' | 'countEstimateFunction'>,
  cacheKey: string,
): Promise<CountStatement | KnownCount | undefined> {
  const estimate = strategy.kind === 'estimated' ? options.countEstimateFunction : undefined
  if (strategy.kind === 'estimated') {
    if (!estimate) return undefined // the fallback: several statements
    if (!/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/.test(estimate)) throw new TypeError('countEstimateFunction must be a plain (schema.)name')
  }
  const cache = options.countCache
  const known = cache?.known
  const cached = cache ? await cache.store.get(cacheKey) : undefined
  // the entry's version is the snapshot's: no SQL, not even the count's query compiled
  if (cached && known !== undefined && cached.version === known) return { hit: { count: cached.count, estimated: cached.estimated, cached: true } }
  const inner = compileInner()
  let body: string
  let params: unknown[]
  let kind: 'bigint' | 'json'
  if (strategy.kind === 'exact' || !estimate) {
    body = `(select count(*) from (${inner.sql}) as upstream_count)`
    params = [...inner.parameters]
    kind = 'bigint'
  } else {
    body = `(select ${estimate}($1::text, $2::bigint))`
    params = [inlinedOnce(inner.sql, inner.parameters), strategy.threshold]
    kind = 'json'
  }
  if (!cache) return { expr: body, params, cached: undefined, kind, versioned: false }
  if (known !== undefined) return { expr: body, params, cached: undefined, kind, versioned: false, knownVersion: known }
  const version = compiledVersion(db, cache.version)
  // the version's expression twice (the check, and the miss's value): two index probes plan
  // cheaper than a subquery that reads it once
  const miss = `json_build_array((${shiftPlaceholders(version.sql, params.length)})::text, ${body})`
  const allParams: unknown[] = [...params, ...version.parameters]
  if (!cached) return { expr: miss, params: allParams, cached, kind, versioned: true }
  const check = shiftPlaceholders(version.sql, allParams.length)
  allParams.push(...version.parameters, cached.version)
  return { expr: `case when (${check})::text = $${allParams.length} then null else ${miss} end`, params: allParams, cached, kind, versioned: true }
}

/** Reads the count out of its expression's value (and refreshes the cache). */
async function readCount(statement: CountStatement, value: unknown, options: Pick<RunListOptions, 'countCache'>, cacheKey: string): Promise<CountResult> {
  const { cached, kind } = statement
  if (!statement.versioned) {
    const result = kind === 'bigint' ? { count: toNumber(value), estimated: false } : parseJsonCount(value)
    if (statement.knownVersion !== undefined && options.countCache) await options.countCache.store.set(cacheKey, { version: statement.knownVersion, count: result.count, estimated: result.estimated })
    return result
  }
  if (value === null || value === undefined) {
    if (!cached) throw new TypeError('count query returned no count')
    return { count: cached.count, estimated: cached.estimated, cached: true }
  }
  const pair = (typeof value === 'string' ? JSON.parse(value) : value) as [unknown, unknown]
  if (!Array.isArray(pair) || pair.length !== 2) throw new TypeError(`Not a versioned count: ${JSON.stringify(value)}`)
  const result = kind === 'bigint' ? { count: toNumber(pair[1]), estimated: false } : parseJsonCount(pair[1])
  if (options.countCache) await options.countCache.store.set(cacheKey, { version: String(pair[0]), count: result.count, estimated: result.estimated })
  return result
}

/** The fallback of the estimated strategy without the `count_estimate` function: a capped count, then EXPLAIN above the threshold. */
async function fallbackCount<DB>(db: Kysely<DB>, inner: CompiledQuery, threshold: number): Promise<CountResult> {
  const capped = await db.executeQuery<{ count: unknown }>(
    CompiledQuery.raw(`select count(*) as count from (select 1 from (${inner.sql}) as s limit ${threshold + 1}) as upstream_count`, [...inner.parameters]),
  )
  const n = toNumber(capped.rows[0]?.count)
  if (n <= threshold) return { count: n, estimated: false }
  const plan = await db.executeQuery<{ 'QUERY PLAN': unknown }>(CompiledQuery.raw(`explain (format json) ${inner.sql}`, [...inner.parameters]))
  const doc = plan.rows[0]?.['QUERY PLAN']
  const parsed = (typeof doc === 'string' ? JSON.parse(doc) : doc) as [{ Plan: { 'Plan Rows': number } }]
  return { count: Math.max(Math.round(parsed[0].Plan['Plan Rows']), threshold + 1), estimated: true }
}

async function countRows<DB>(
  db: Kysely<DB>,
  compileInner: () => CompiledQuery,
  strategy: CountStrategy,
  options: Pick<RunListOptions, 'countCache' | 'countEstimateFunction'>,
  cacheKey: string,
): Promise<CountResult | undefined> {
  if (strategy.kind === 'none') return undefined
  const statement = await countStatement(db, compileInner, strategy, options, cacheKey)
  if (statement && 'hit' in statement) return statement.hit
  if (!statement) return fallbackCount(db, compileInner(), strategy.kind === 'estimated' ? strategy.threshold : 0)
  return runCount(db, statement, options, cacheKey)
}

/** The count statement on its own: `select <expr>`. */
async function runCount<DB>(db: Kysely<DB>, statement: CountStatement, options: Pick<RunListOptions, 'countCache'>, cacheKey: string): Promise<CountResult> {
  const r = await db.executeQuery<{ result: unknown }>(CompiledQuery.raw(`select ${statement.expr} as result`, [...statement.params]))
  if (!r.rows[0]) throw new TypeError('count query returned no row')
  return readCount(statement, r.rows[0].result, options, cacheKey)
}

const COUNT_COLUMN = '__upstream_count'

/**
 * The count and the page's rows in one statement (one round trip): the count a column beside
 * the rows (an uncorrelated subquery, run once). A page without rows carries no count: at
 * offset 0 the count is 0 (same snapshot); further on, the count runs on its own.
 */
async function countAndRows<DB, O>(
  db: Kysely<DB>,
  statement: CountStatement,
  rows: CompiledQuery,
  offset: number,
  options: Pick<RunListOptions, 'countCache'>,
  cacheKey: string,
): Promise<{ counted: CountResult; rows: O[] }> {
  const text = `select ${statement.expr} as ${COUNT_COLUMN}, q.* from (${shiftPlaceholders(rows.sql, statement.params.length)}) as q`
  const result = await db.executeQuery<Record<string, unknown>>(CompiledQuery.raw(text, [...statement.params, ...rows.parameters]))
  const first = result.rows[0]
  if (!first) {
    // at offset 0 no rows is a count of 0 (same snapshot); past the end the count runs alone
    return { counted: offset > 0 ? await runCount(db, statement, options, cacheKey) : { count: 0, estimated: false }, rows: [] }
  }
  const counted = await readCount(statement, first[COUNT_COLUMN], options, cacheKey)
  const fields = Object.keys(first).filter((name) => name !== COUNT_COLUMN && name !== WALK_MATCH)
  const out = result.rows.map((source) => {
    const copy: Record<string, unknown> = {}
    for (const name of fields) copy[name] = source[name]
    return copy as O
  })
  return { counted, rows: out }
}

function filterKeyOf(settings: ListSpecSettings, query: ListQuery, scopeKey: string) {
  return { list: settings.name, scope: scopeKey, filters: query.filters.map((f) => [f.param, f.values]), search: query.search }
}

/**
 * The binding of the cursors of one list, query (filters, search, ordering) and scope: what a
 * cursor must carry to be accepted. Useful to make a cursor for a known position
 * (`encodeCursor({ v, d: 'n', b: listCursorBinding(...) }, secret)`), as benchmarks do.
 *
 * @example
 * ```ts
 * const b = listCursorBinding(claimsListSpec.settings, claimsListSpec.parse({ pagination: 'cursor' }), tenantScopeKey(upstream, 7))
 * ```
 */
export function listCursorBinding(settings: ListSpecSettings, query: ListQuery, scopeKey = ''): string {
  const keys = sortKeys(settings, query.ordering)
  return cursorBinding({ ...filterKeyOf(settings, query, scopeKey), ordering: keys.map((k) => [k.column, k.direction]) })
}

/**
 * Runs one list request: the filtered, searched, ordered page and its count, in at most two
 * statements, and the envelope of the request's pagination style with `next`/`previous` URLs
 * that keep every other parameter. Run it inside one (read-only) transaction, such as
 * `forTenant(upstream, id).read(({ db }) => runList(db, spec, req.query, { url }))`.
 *
 * `db` is any `Kysely` or `Transaction` of the spec's database; `query` is a {@link ListQuery}
 * the spec parsed, or the raw parameters ({@link ListParams}: `URLSearchParams`, Express 5's
 * `req.query`, Koa's `ctx.query`), parsed here (bad input throws `ValidationError`).
 *
 * Throws `ValidationError` (bad cursor, page too deep, `page=last` without a count) and
 * {@link InvalidPageError} (a page past the end).
 *
 * Traced as one `list <name>` span (its shape, count strategy, count-cache hit or miss, rows)
 * over its statements' spans, once the app installs an OpenTelemetry SDK.
 *
 * @example
 * ```ts
 * const query = claimsListSpec.parse(req.query)
 * const page = await tenant.read(({ db }) => runList(db, claimsListSpec, query, { url: fullUrl(req) }))
 * // page-number: { count: 1234, next: 'https://.../claims/?status=paid&page=3', previous: 'https://.../claims/?status=paid', results: [...] }
 * ```
 */
export function runList<DB, TB extends keyof DB, O>(
  db: Kysely<NoInfer<DB>>,
  spec: ListSpec<DB, TB, O, string, string>,
  params: ListQuery | ListParams,
  options: RunListOptions<NoInfer<DB>, NoInfer<TB>, NoInfer<O>>,
): Promise<ListPage<O>> {
  const query = isListQuery(params) ? params : spec.parse(params)
  RequestAbortedError.throwIfAborted(options.signal)
  return inSpan(`list ${spec.settings.name}`, {}, async (span) => {
    const page = await listPage(db, spec, query, options, span)
    if (span.isRecording()) span.setAttribute(TRACE_ATTRIBUTES.listRows, page.results.length)
    return page
  })
}

function traceListQuery(span: Span, query: ListQuery, strategy: CountStrategy): void {
  const filters = [...new Set(query.filters.map((f) => f.param))].sort()
  const ordering = query.ordering.map((t) => (t.direction === 'desc' ? `-${t.field}` : t.field))
  const search = query.search.length > 0
  span.setAttributes({
    [TRACE_ATTRIBUTES.listName]: query.list,
    [TRACE_ATTRIBUTES.listPagination]: query.page.style,
    [TRACE_ATTRIBUTES.listFilters]: filters,
    [TRACE_ATTRIBUTES.listSearch]: search,
    [TRACE_ATTRIBUTES.listOrdering]: ordering,
    [TRACE_ATTRIBUTES.listShape]: `${query.page.style}|${filters.join(',')}|${search ? 'search' : ''}|${ordering.join(',')}`,
    [TRACE_ATTRIBUTES.listCountStrategy]: query.page.style === 'cursor' ? 'none' : strategy.kind,
  })
  if (query.page.style === 'cursor') span.setAttribute(TRACE_ATTRIBUTES.listCountCache, 'off')
}

function traceCount(span: Span, counted: CountResult | undefined, cache: boolean): void {
  span.setAttribute(TRACE_ATTRIBUTES.listCountCache, !counted || !cache ? 'off' : counted.cached ? 'hit' : 'miss')
  if (counted) span.setAttribute(TRACE_ATTRIBUTES.listCountEstimated, counted.estimated)
}

async function listPage<DB, TB extends keyof DB, O>(
  db: Kysely<NoInfer<DB>>,
  spec: ListSpec<DB, TB, O, string, string>,
  query: ListQuery,
  options: RunListOptions<NoInfer<DB>, NoInfer<TB>, NoInfer<O>>,
  span: Span,
): Promise<ListPage<O>> {
  const s = spec.settings
  if (query.list !== s.name) throw new TypeError(`The query was parsed by list ${query.list}, not ${s.name}`)
  const scopeKey = options.scope?.key ?? ''
  // the list's query in its scope with its filters: the page's (with the search) and the walk's (without) start here
  const filtered = (filters: ListInputs['filters']) => {
    let base = spec.query(db)
    if (options.scope?.apply) base = options.scope.apply(base)
    return base.$call(applyFilters(filters))
  }
  const build = (filters: ListInputs['filters']) => filtered(filters).$call(applySearch(s.search, query.search, s.searchVia))
  // a searched page may first walk its ordering (the spec's searchWalk): the search as a column
  const walkMatch = s.searchWalk > 0 ? searchPredicate(s.search, query.search) : undefined
  const buildWalk = (filters: ListInputs['filters'], select: (qb: SelectQueryBuilder<DB, TB, O>) => SelectQueryBuilder<DB, TB, O> = (qb) => qb) =>
    select(filtered(filters)).select(sql<boolean>`${walkMatch}`.as(WALK_MATCH)) as unknown as SelectQueryBuilder<DB, TB, O>
  const cacheable = options.cacheStatements === true && query.search.length === 0
  const compile = (kind: string, inputs: ListInputs, make: (inputs: ListInputs) => CompiledQuery): CompiledQuery =>
    cacheable ? statements.compile(db, `${s.name}\u0000${scopeKey}\u0000${kind}`, inputs, make) : make(inputs)
  const keys = sortKeys(s, query.ordering)
  const filterKey = filterKeyOf(s, query, options.scope?.key ?? '')
  const maxOffset = options.maxOffset ?? s.maxOffset
  // a search counts by its own strategy (exact up to a bound, then the estimate), unless the call overrides the count
  const strategy = options.count ?? (query.search.length > 0 ? s.searchCount : s.count)
  const recording = span.isRecording()
  if (recording) traceListQuery(span, query, strategy)

  if (query.page.style === 'cursor') {
    const page = query.page
    const binding = listCursorBinding(s, query, options.scope?.key ?? '')
    const cursor = page.cursor === undefined ? undefined : decodeCursor(page.cursor, options.cursorSecret, binding)
    if (cursor && cursor.v.length !== keys.length) throw new ValidationError({ cursor: ['Invalid cursor.'] })
    const backwards = cursor?.d === 'p'
    const walkKeys = backwards ? reverseKeys(keys) : keys
    const walk = walkKeys.map((k) => `${k.column} ${k.direction} ${k.nullable}`).join(',')
    const compiled = compile(`cursor:${walk}:${cursor ? 'after' : 'first'}`, { filters: query.filters, cursor: cursor?.v ?? [], numbers: [page.pageSize + 1] }, (i) => {
      let q = withKeys(build(i.filters), keys)
      if (cursor) q = q.where(keysetPredicate(walkKeys, i.cursor))
      return q.$call(applyOrdering(walkKeys)).limit(i.numbers[0]!).compile()
    })
    let statement = compiled
    if (walkMatch && page.pageSize + 1 <= s.searchWalk) {
      let w = buildWalk(query.filters, (qb) => withKeys(qb, keys))
      if (cursor) w = w.where(keysetPredicate(walkKeys, cursor.v))
      statement = walkOrFallback(w.$call(applyOrdering(walkKeys)).limit(s.searchWalk).compile(), compiled, page.pageSize + 1, 0)
    }
    const answered = (await db.executeQuery<O>(statement)).rows
    const fetched = statement === compiled ? answered : withoutWalkMatch(answered)
    const more = fetched.length > page.pageSize
    const slice = fetched.slice(0, page.pageSize)
    if (backwards) slice.reverse()
    const { rows, keys: values } = stripKeys(slice, keys.length)
    const hasNext = backwards ? true : more
    const hasPrevious = backwards ? more : cursor !== undefined
    const link = (d: 'n' | 'p', v: (string | null)[] | undefined) =>
      v ? pageUrl(options.url, { cursor: encodeCursor({ v, d, b: binding }, options.cursorSecret), page: null }) : null
    const result: CursorPage<O> = {
      next: hasNext && rows.length > 0 ? link('n', values.at(-1)) : null,
      previous: hasPrevious && rows.length > 0 ? link('p', values[0]) : null,
      results: rows,
    }
    return result
  }

  const cacheKey = JSON.stringify(filterKey)
  const order = keys.map((k) => `${k.column} ${k.direction} ${k.nullable}`).join(',')
  const compileInner = () => compile('count', { filters: query.filters, cursor: [], numbers: [] }, (i) => build(i.filters).clearOrderBy().compile())
  const rowsQuery = (limit: number, offset: number) => {
    const page = compile(`rows:${order}`, { filters: query.filters, cursor: [], numbers: [limit, offset] }, (i) =>
      build(i.filters).$call(applyOrdering(keys)).limit(i.numbers[0]!).offset(i.numbers[1]!).compile(),
    )
    // a walk reads at most searchWalk rows: a page beyond them goes to the index at once
    if (!walkMatch || offset + limit > s.searchWalk) return page
    return walkOrFallback(buildWalk(query.filters).$call(applyOrdering(keys)).limit(s.searchWalk).compile(), page, limit, offset)
  }
  const rowsAt = async (limit: number, offset: number) => {
    RequestAbortedError.throwIfAborted(options.signal)
    const rows = (await db.executeQuery<O>(rowsQuery(limit, offset))).rows
    return walkMatch ? withoutWalkMatch(rows) : rows
  }
  RequestAbortedError.throwIfAborted(options.signal)
  // the rows a page needs, when known before its count: count and rows then go in one statement
  const planned =
    query.page.style === 'limit-offset'
      ? { limit: query.page.limit + 1, offset: query.page.offset }
      : query.page.page === 'last'
        ? undefined
        : { limit: query.page.pageSize + 1, offset: (query.page.page - 1) * query.page.pageSize }
  let early: O[] | undefined
  let counted: CountResult | undefined
  if (planned && strategy.kind !== 'none' && (maxOffset === undefined || planned.offset <= maxOffset)) {
    const statement = await countStatement(db, compileInner, strategy, options, cacheKey)
    if (statement && 'hit' in statement) {
      counted = statement.hit // the rows alone, below
    } else if (statement) {
      const both = await countAndRows<DB, O>(db, statement, rowsQuery(planned.limit, planned.offset), planned.offset, options, cacheKey)
      counted = both.counted
      early = both.rows
    } else {
      counted = await fallbackCount(db, compileInner(), strategy.kind === 'estimated' ? strategy.threshold : 0)
    }
  } else {
    counted = await countRows(db, compileInner, strategy, options, cacheKey)
  }
  if (recording) traceCount(span, counted, options.countCache !== undefined)
  const envelope = (count: CountResult | undefined, next: string | null, previous: string | null, results: O[]): CountedPage<O> => ({
    count: count ? count.count : null,
    next,
    previous,
    results,
    ...(count?.estimated ? { count_is_estimate: true as const } : {}),
  })
  const cursorAvailable = s.pagination.styles.includes('cursor')

  if (query.page.style === 'limit-offset') {
    const { limit, offset } = query.page
    if (maxOffset !== undefined && offset > maxOffset) throw new DeepOffsetError('offset', maxOffset, cursorAvailable)
    const fetched = early ?? (counted && !counted.estimated && counted.count <= offset ? [] : await rowsAt(limit + 1, offset))
    const more = fetched.length > limit
    const next = more ? pageUrl(options.url, { limit: String(limit), offset: String(offset + limit) }) : null
    const previous = offset > 0 ? (offset - limit <= 0 ? pageUrl(options.url, { limit: String(limit), offset: null }) : pageUrl(options.url, { limit: String(limit), offset: String(offset - limit) })) : null
    return envelope(counted, next, previous, fetched.slice(0, limit))
  }

  const { pageSize } = query.page
  let pageNumber: number
  if (query.page.page === 'last') {
    if (!counted) throw new ValidationError({ page: ['"last" needs a count, and this list does not count its rows; use next links instead.'] })
    pageNumber = Math.max(1, Math.ceil(counted.count / pageSize))
  } else {
    pageNumber = query.page.page
  }
  const offset = (pageNumber - 1) * pageSize
  if (pageNumber > 1 && counted && !counted.estimated && offset >= counted.count) throw new InvalidPageError(pageNumber)
  if (maxOffset !== undefined && offset > maxOffset) throw new DeepOffsetError('page', maxOffset, cursorAvailable)
  const fetched = early ?? (counted && !counted.estimated && counted.count === 0 ? [] : await rowsAt(pageSize + 1, offset))
  if (pageNumber > 1 && fetched.length === 0) throw new InvalidPageError(pageNumber)
  const more = fetched.length > pageSize
  const next = more ? pageUrl(options.url, { page: String(pageNumber + 1) }) : null
  const previous = pageNumber > 1 ? pageUrl(options.url, { page: pageNumber === 2 ? null : String(pageNumber - 1) }) : null
  return envelope(counted, next, previous, fetched.slice(0, pageSize))
}
