import { sql, type Kysely, type RawBuilder, type SelectQueryBuilder } from 'kysely'
import type { ClaimsDatabase } from '../core/index.js'
import type { UpstreamDatabase } from '../../db/index.js'
import { createMemoryCountCache, type CountCache } from '../../list-query/index.js'
import type { ListPage } from '../../list-query/index.js'
import { isListQuery, type ListParams, type ListQuery } from '../../list-query/index.js'
import type { ListSpec } from '../../list-query/index.js'
import { runList } from '../../list-query/index.js'
import type { ClaimsTenantScope } from '../core/index.js'
import type { ListOptions } from './list-options.js'

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
    expression = sql`coalesce((select version from ${sql.id(upstream.schema, 'data_versions')} where customer_id = ${customerId}), 0)`
    byTenant.set(`${upstream.schema}:${customerId}`, expression)
  }
  return expression
}

const versionExpressions = new WeakMap<object, Map<string, RawBuilder<unknown>>>()

/**
 * Runs a domain list for a tenant: parses the query if needed, then one short read-only
 * transaction (row-level security on) with the tenant condition, the count cache keyed on the
 * tenant's data version, the `count_estimate` helper of migration 0002 and cursors bound to the tenant.
 *
 * @example
 * ```ts
 * const page = await runTenantList(tenant, claimsListSpec, req.query, { url })
 * // with extra conditions (part of cursor bindings and cache keys through `key`):
 * await runTenantList(tenant, uploadClaimsListSpec, {}, { url }, { key: 'upload:12', apply: (qb) => qb.where('upload_id', '=', 12) })
 * ```
 */
export async function runTenantList<TB extends keyof ClaimsDatabase, O>(
  tenant: ClaimsTenantScope,
  spec: ListSpec<ClaimsDatabase, TB, O, string, string>,
  query: ListQuery | ListParams,
  options: ListOptions,
  extra?: {
    /** Identifies the extra conditions in cursor bindings and count-cache keys (`upload:12`). */
    readonly key: string
    readonly apply: (qb: SelectQueryBuilder<ClaimsDatabase, TB, O>) => SelectQueryBuilder<ClaimsDatabase, TB, O>
  },
  within?: (db: Kysely<ClaimsDatabase>, page: ListPage<O>) => Promise<void>,
): Promise<ListPage<O>> {
  const parsed = isListQuery(query) ? query : spec.parse(query)
  const upstream = tenant.upstream
  const id = tenant.customerId
  const store = cacheFor(upstream, options.countCache)
  return tenant.read(
    async ({ db }) => {
      const page = await runList(db, spec, parsed, {
        url: options.url,
        ...(options.cursorSecret === undefined ? {} : { cursorSecret: options.cursorSecret }),
        ...(options.maxOffset === undefined ? {} : { maxOffset: options.maxOffset }),
        ...(options.count === undefined ? {} : { count: options.count }),
        scope: {
          key: `${tenantScopeKey(upstream, id)}${extra ? `:${extra.key}` : ''}`,
          apply: (qb) => {
            const scoped = qb.where(sql.ref('customer_id'), '=', id)
            return (extra ? extra.apply(scoped as unknown as SelectQueryBuilder<ClaimsDatabase, TB, O>) : scoped) as typeof qb
          },
        },
        countEstimateFunction: `${upstream.schema}.count_estimate`,
        // the scope key names the schema, the tenant and the extra filter: all the scope puts in the SQL
        cacheStatements: true,
        ...(store ? { countCache: { store, version: dataVersionExpression(upstream, id) } } : {}),
      })
      if (within) await within(db, page)
      return page
    },
    options.statementTimeoutMs === undefined ? {} : { statementTimeoutMs: options.statementTimeoutMs },
  )
}
