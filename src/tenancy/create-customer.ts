import type { Customer } from '../claims/database.js'
import type { UpstreamDatabase } from '../db/upstream-database.js'
import { toDatabaseError } from '../errors/to-database-error.js'

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
export async function createCustomer(upstream: UpstreamDatabase, name: string): Promise<Customer> {
  try {
    return await upstream.db.insertInto('customers').values({ name }).returningAll().executeTakeFirstOrThrow()
  } catch (error) {
    throw toDatabaseError(error)
  }
}
