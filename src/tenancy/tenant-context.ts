import type { Kysely } from 'kysely'
import type { CoreDatabase } from '../db/index.js'
import { ApiKeysRepository } from './repositories/api-keys-repository.js'

/**
 * What a tenant transaction hands to its unit of work: the tenant, the transaction's Kysely
 * (row-level security active, tenant set) typed over the app's schema `DB`, and the tenancy
 * core's repository of API keys. A scope made with {@link TenantScope.with} adds the app's
 * own repositories to it.
 *
 * @example
 * ```ts
 * await forTenant(upstream, 7).transaction(async ({ db, customerId }) => {
 *   await db.insertInto('products').values({ customer_id: customerId, name: 'Widget' }).execute()
 * })
 * ```
 */
export interface TenantContext<DB = CoreDatabase> {
  /** The tenant. */
  readonly customerId: number
  /** The transaction's Kysely. Raw queries through it still see only this tenant's rows. */
  readonly db: Kysely<DB>
  /** The tenant's API keys (made on first use). */
  readonly apiKeys: ApiKeysRepository
}

/**
 * The {@link TenantContext} of one connection and tenant (what {@link forTenant} hands to
 * each unit of work). Repositories are made on first use.
 *
 * @example
 * ```ts
 * const context = tenantContext(trx, 7)
 * await context.apiKeys.list()
 * ```
 */
export function tenantContext<DB>(db: Kysely<DB>, customerId: number): TenantContext<DB> {
  let apiKeys: ApiKeysRepository | undefined
  return Object.freeze({
    customerId,
    db,
    get apiKeys() {
      // api_keys is a table of the tenancy core, present in every migrated database
      return (apiKeys ??= new ApiKeysRepository(db as unknown as Kysely<CoreDatabase>, customerId))
    },
  })
}
