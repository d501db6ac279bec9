import { CompiledQuery, sql } from 'kysely'
import type { UpstreamDatabase } from '../../db/index.js'
import { compiledPlanKeyOf } from '../../db/internal.js'
import { forTenant } from '../../tenancy/index.js'
import type { DataVersion } from './data-version.js'
import { versionColumn, versionColumns } from './version-columns.js'

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
  // versions readable for the transaction's current tenant (tenantDataVersion): the select list
  // the key lookup uses too, made once per list of versions; an app's own: compiled on every read
  const current = versionColumns(upstream, versions)
  return forTenant(upstream, customerId).read(async ({ db }) => {
    let statement: CompiledQuery
    let column: (i: number) => string
    if (current === undefined) {
      statement = sql`select ${sql.join(versions.map((v, i) => sql`(${v.expression(scope)})::text as ${sql.id(`v${i}`)}`))}`.compile(db)
      column = (i) => `v${i}`
    } else {
      for (const check of compiledPlanKeyOf(db).checks) check() // what a compile would have run (a request's abort guard)
      statement = CompiledQuery.raw(`select ${current}`, [])
      column = versionColumn
    }
    const { rows } = await db.executeQuery<Record<string, string | null>>(statement)
    const row = rows[0] ?? {}
    return versions.map((_, i) => row[column(i)] ?? '')
  })
}
