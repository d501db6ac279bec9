import { sql } from 'kysely'
import type { UpstreamDatabase } from '../../db/index.js'
import { inlineParameters } from '../../list-query/index.js'
import type { DataVersion } from './data-version.js'

const made = new WeakMap<readonly DataVersion[], { readonly db: object; readonly text: string }>()

/** The column name of the `i`th version in {@link versionColumns}. */
export const versionColumn = (i: number): string => `upstream_v${i}`

/**
 * The select list that reads `versions` for the transaction's current tenant
 * (`DataVersion.inCurrentTenant`), as parameterless SQL for the round trip that authenticates
 * a key (`(v0)::text as upstream_v0, ...`); `undefined` when a version cannot be read that way.
 * Made once per list of versions and database.
 *
 * @example
 * ```ts
 * versionColumns(upstream, [tenantDataVersion])
 * // (coalesce((select version from "app"."data_versions" where customer_id = nullif(current_setting(...), '')::bigint), 0))::text as "upstream_v0"
 * ```
 */
export function versionColumns<DB>(upstream: UpstreamDatabase<DB>, versions: readonly DataVersion[]): string | undefined {
  if (versions.length === 0) return undefined
  const known = made.get(versions)
  if (known && known.db === upstream.db) return known.text
  const parts = []
  for (const [i, v] of versions.entries()) {
    if (!v.inCurrentTenant) return undefined
    parts.push(sql`(${v.inCurrentTenant({ schema: upstream.schema })})::text as ${sql.id(versionColumn(i))}`)
  }
  const compiled = sql`${sql.join(parts)}`.compile(upstream.db)
  const text = compiled.parameters.length === 0 ? compiled.sql : inlineParameters(compiled.sql, compiled.parameters)
  made.set(versions, { db: upstream.db, text })
  return text
}
