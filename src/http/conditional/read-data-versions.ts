import { sql } from 'kysely'
import type { UpstreamDatabase } from '../../db/index.js'
import { forTenant } from '../../tenancy/index.js'
import type { DataVersion } from './data-version.js'

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
  const columns = sql.join(versions.map((v, i) => sql`(${v.expression(scope)})::text as ${sql.id(`v${i}`)}`))
  return forTenant(upstream, customerId).read(async ({ db }) => {
    const { rows } = await sql<Record<string, string | null>>`select ${columns}`.execute(db)
    const row = rows[0] ?? {}
    return versions.map((_, i) => row[`v${i}`] ?? '')
  })
}
