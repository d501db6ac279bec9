import { sql, type CompiledQuery, type Kysely } from 'kysely'
import type { UpstreamDatabase } from '../../db/index.js'
import { compiledPlanKeyOf } from '../../db/internal.js'
import { forTenant } from '../../tenancy/index.js'
import { tenantDataVersion, type DataVersion } from './data-version.js'

/** Statements of `tenantDataVersion` reads, by database setup, then schema and tenant. */
const compiled = new WeakMap<object, Map<string, CompiledQuery>>()
const MAX_TENANTS = 10_000

/**
 * The statement reading `versions` for a scope. Where every version is the library's
 * {@link tenantDataVersion} (its SQL depends on the schema and the tenant alone), it is
 * compiled once per database setup, schema and tenant; an app's own versions are compiled on
 * every read (their expression may change from one request to the next).
 */
function versionsStatement<DB>(db: Kysely<DB>, versions: readonly DataVersion[], scope: { readonly schema: string; readonly customerId: number }): CompiledQuery {
  const build = () => sql`select ${sql.join(versions.map((v, i) => sql`(${v.expression(scope)})::text as ${sql.id(`v${i}`)}`))}`.compile(db)
  if (!versions.every((v) => v === tenantDataVersion)) return build()
  const { key, checks } = compiledPlanKeyOf(db)
  let byScope = compiled.get(key)
  if (!byScope) compiled.set(key, (byScope = new Map()))
  const scopeKey = `${scope.schema}\u0000${scope.customerId}\u0000${versions.length}`
  const known = byScope.get(scopeKey)
  if (known) {
    for (const check of checks) check() // what the compile would have run (a request's abort guard)
    return known
  }
  const statement = build()
  if (byScope.size >= MAX_TENANTS) byScope.clear()
  byScope.set(scopeKey, statement)
  return statement
}

/**
 * Reads the values of `versions` for a tenant: one short read-only tenant transaction holding
 * ONE statement (`select (v0)::text, (v1)::text, ...`), row-level security on.
 *
 * @example
 * ```ts
 * await readDataVersions(upstream, 7, [tenantDataVersion]) // ['42']
 * ```
 */
export async function readDataVersions<DB>(upstream: UpstreamDatabase<DB>, customerId: number, versions: readonly DataVersion[]): Promise<readonly string[]> {
  if (versions.length === 0) return []
  const scope = { schema: upstream.schema, customerId }
  return forTenant(upstream, customerId).read(async ({ db }) => {
    const { rows } = await db.executeQuery<Record<string, string | null>>(versionsStatement(db, versions, scope))
    const row = rows[0] ?? {}
    return versions.map((_, i) => row[`v${i}`] ?? '')
  })
}
