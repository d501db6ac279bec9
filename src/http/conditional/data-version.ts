import type { Expression } from 'kysely'
import { currentTenantSql, tenantVersionSql } from '../../db/internal.js'

/**
 * Where a data version comes from: what a tenant's request is evaluated against when a
 * client revalidates a response. A value changes whenever data the response depends on
 * changes (a counter bumped by triggers, a `max(updated_at)`, ...). The HTTP core reads every
 * version an operation declares in ONE statement, inside the tenant's read transaction
 * (row-level security on), and hashes the values into the response's `ETag`.
 *
 * @example
 * ```ts
 * // an app table outside the tenant triggers: its newest change is its version
 * const pricesVersion: DataVersion = {
 *   name: 'prices',
 *   expression: () => sql`(select max(updated_at) from prices)`,
 * }
 * ```
 */
export interface DataVersion {
  /** A name for docs and logs (`tenant`, `prices`). */
  readonly name: string
  /**
   * The SQL expression of the version (any type; it is read as text), evaluated in the
   * tenant's read transaction. `schema` is the library's schema.
   */
  readonly expression: (scope: { readonly schema: string; readonly customerId: number }) => Expression<unknown>
  /**
   * Optional: the same value for the transaction's current tenant (the setting row-level
   * security reads, `currentTenantSql()`), written without the tenant's id. When every version
   * of an operation has it, a `GET` through the built-in key lookup reads them in the round trip
   * that authenticates the key and starts the tenant's transaction: one round trip less. It
   * must return exactly what `expression` returns for that tenant.
   */
  readonly inCurrentTenant?: (scope: { readonly schema: string }) => Expression<unknown>
}

/**
 * The tenant's data version (`data_versions`, core migration 0002): bumped in the writing
 * transaction by the statement triggers of every tenant table (the library's, and an app's own
 * put under the tenant by `tenantTable`), so it changes exactly when a write of the tenant
 * commits. 0 before the tenant's first write. What the count cache keys on, too.
 *
 * @example
 * ```ts
 * tenantOperation({ method: 'GET', path: '/products/', operationId: 'products_list', dependsOn: [tenantDataVersion], handle })
 * ```
 */
export const tenantDataVersion: DataVersion = Object.freeze({
  name: 'tenant',
  expression: ({ schema, customerId }: { readonly schema: string; readonly customerId: number }) => tenantVersionSql(schema, customerId),
  inCurrentTenant: ({ schema }: { readonly schema: string }) => tenantVersionSql(schema, currentTenantSql()),
})
