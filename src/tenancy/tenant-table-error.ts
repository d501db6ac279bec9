import { UpstreamError } from '../errors/index.js'

/**
 * {@link tenantTable} cannot put a table under the tenant: the table is not in the library's
 * schema, or its tenant column is missing, nullable or not a `bigint`. The message names the
 * table and what to change; the migration that called it fails (and rolls back on PostgreSQL).
 *
 * @example
 * ```ts
 * try { await tenantTable(db, 'products', ctx) } catch (e) { if (e instanceof TenantTableError) console.error(e.table, e.message) }
 * ```
 */
export class TenantTableError extends UpstreamError {
  readonly code = 'tenant_table'
  /** The table, as named to {@link tenantTable}. */
  readonly table: string
  constructor(table: string, message: string) {
    super(message)
    this.table = table
  }
}
