import { sql, type Kysely, type RawBuilder, type SelectQueryBuilder } from 'kysely'
import { assertIdentifier, type UpstreamDatabase } from '../db/index.js'
import { databaseIdentityOf, tenantVersionSql } from '../db/internal.js'
// types only: a tenancy-only app loads no list machinery
import type { TenantContext, TenantScope } from '../tenancy/index.js'
import { snapshotDataVersion } from '../tenancy/internal.js'
import { createMemoryCountCache, type CountCache } from './count-cache.js'
import type { ListPage } from './list-page.js'
import { isListQuery, type ListParams, type ListQuery } from './list-query.js'
import type { ListSpec } from './list-spec.js'
import { runList } from './run-list.js'
import type { ListOptions } from './tenant-list-options.js'

const defaultCaches = new WeakMap<object, CountCache>()

function cacheFor<DB>(upstream: UpstreamDatabase<DB>, option: ListOptions['countCache']): CountCache | undefined {
  if (option === false) return undefined
  if (option) return option
  let cache = defaultCaches.get(upstream)
  if (!cache) defaultCaches.set(upstream, (cache = createMemoryCountCache()))
  return cache
}

/**
 * The scope key of a tenant in cursor bindings and count-cache keys (schema and customer id).
 *
 * @example
 * ```ts
 * tenantScopeKey(upstream, 7) // 'upstream:tenant:7'
 * ```
 */
export function tenantScopeKey<DB>(upstream: UpstreamDatabase<DB>, customerId: number): string {
  return `${upstream.schema}:tenant:${customerId}`
}

/**
 * The SQL expression of a tenant's data version (0 before its first write).
 *
 * @example
 * ```ts
 * await sql`select ${dataVersionExpression(upstream, 7)} as v`.execute(trx)
 * ```
 */
export function dataVersionExpression<DB>(upstream: UpstreamDatabase<DB>, customerId: number) {
  // one expression object per tenant, so the list machinery compiles it once
  let byTenant = versionExpressions.get(upstream.db)
  if (!byTenant) versionExpressions.set(upstream.db, (byTenant = new Map()))
  let expression = byTenant.get(`${upstream.schema}:${customerId}`)
  if (!expression) {
    if (byTenant.size >= 10_000) byTenant.clear()
    expression = tenantVersionSql(upstream.schema, customerId)
    byTenant.set(`${upstream.schema}:${customerId}`, expression)
  }
  return expression
}

const versionExpressions = new WeakMap<object, Map<string, RawBuilder<unknown>>>()

/** A count cache whose keys start with the answering database's identity. */
function inDatabase(store: CountCache, identity: string): CountCache {
  return {
    get: (key) => store.get(`${identity}|${key}`),
    set: (key, value) => store.set(`${identity}|${key}`, value),
  }
}

/**
 * Runs a list for a tenant, on the library's tables or an app's own (put under the tenant by
 * `tenantTable`): parses the raw parameters if needed (`URLSearchParams`, Express 5's
 * `req.query`, Koa's `ctx.query`), then one short read-only transaction (row-level security
 * on) with the tenant condition, exact counts cached per tenant and invalidated by the tenant's
 * data version (an in-memory cache per database by default), the `count_estimate` function of
 * the core migrations for estimated counts, statements compiled once per query shape, and
 * cursors bound to the tenant.
 *
 * @example
 * ```ts
 * const page = await runTenantList(forTenant(upstream, 7), productsSpec, req.query, { url })
 * // with extra conditions (part of cursor bindings and cache keys through `key`):
 * await runTenantList(tenant, tasksSpec, req.query, { url }, { key: 'project:12', apply: (qb) => qb.where('project_id', '=', 12) })
 * ```
 */
export async function runTenantList<DB, C extends TenantContext<DB>, TB extends keyof DB, O>(
  tenant: TenantScope<DB, C>,
  spec: ListSpec<DB, TB, O, string, string>,
  query: ListQuery | ListParams,
  options: ListOptions,
  extra?: {
    /** Identifies the extra conditions in cursor bindings and count-cache keys (`project:12`). */
    readonly key: string
    readonly apply: (qb: SelectQueryBuilder<DB, TB, O>) => SelectQueryBuilder<DB, TB, O>
  },
  within?: (db: Kysely<DB>, page: ListPage<O>) => Promise<void>,
): Promise<ListPage<O>> {
  const parsed = isListQuery(query) ? query : spec.parse(query)
  const tenantColumn = assertIdentifier(options.tenantColumn ?? 'customer_id', 'tenantColumn')
  const upstream = tenant.upstream
  const id = tenant.customerId
  const store = cacheFor(upstream, options.countCache)
  return tenant.read(
    async ({ db }) => {
      // with replicas: counts are kept per answering database (a lagging replica's version differs)
      const answering = databaseIdentityOf(db)
      const keyed = store && answering !== undefined ? inDatabase(store, answering) : store
      const page = await runList(db, spec, parsed, {
        url: options.url,
        ...(options.cursorSecret === undefined ? {} : { cursorSecret: options.cursorSecret }),
        ...(options.maxOffset === undefined ? {} : { maxOffset: options.maxOffset }),
        ...(options.count === undefined ? {} : { count: options.count }),
        ...(options.signal ? { signal: options.signal } : {}),
        scope: {
          key: `${tenantScopeKey(upstream, id)}${tenantColumn === 'customer_id' ? '' : `:${tenantColumn}`}${extra ? `:${extra.key}` : ''}`,
          apply: (qb) => {
            const scoped = qb.where(sql.ref(tenantColumn), '=', id)
            return extra ? extra.apply(scoped) : scoped
          },
        },
        countEstimateFunction: `${upstream.schema}.count_estimate`,
        // the scope key names the schema, the tenant and the extra filter: all the scope puts in the SQL
        cacheStatements: true,
        // inside an authenticated GET the version was read with the key, in this transaction's snapshot
        ...(keyed ? { countCache: { store: keyed, version: dataVersionExpression(upstream, id), known: snapshotDataVersion(db) } } : {}),
      })
      if (within) await within(db, page)
      return page
    },
    {
      ...(options.statementTimeoutMs === undefined ? {} : { statementTimeoutMs: options.statementTimeoutMs }),
      ...(options.signal ? { signal: options.signal } : {}),
    },
  )
}
