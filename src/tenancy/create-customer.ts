import type { Kysely } from 'kysely'
import type { Customer, CoreDatabase } from '../db/index.js'
import type { UpstreamDatabase } from '../db/index.js'
import { toDatabaseError } from '../errors/index.js'

/**
 * Provisions a customer (a tenant). An owner's job: it runs as the connection's own
 * role, which the migrations allow to manage `customers`; the runtime role cannot.
 *
 * @example
 * ```ts
 * const customer = await createCustomer(upstream, 'Acme Health')
 * const tenant = forTenant(upstream, customer.id)
 * ```
 */
export async function createCustomer<DB>(upstream: UpstreamDatabase<DB>, name: string): Promise<Customer> {
  const db = upstream.db as unknown as Kysely<CoreDatabase> // customers is a table of the tenancy core
  try {
    return await db.insertInto('customers').values({ name }).returningAll().executeTakeFirstOrThrow()
  } catch (error) {
    throw toDatabaseError(error)
  }
}
