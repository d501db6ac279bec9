import type { Kysely } from 'kysely'
import type { CoreDatabase, Customer, UpstreamDatabase } from '../db/index.js'
import { toDatabaseError } from '../errors/index.js'

/**
 * The customer of that name, provisioned if it does not exist yet: the idempotent form of
 * {@link createCustomer}, for code that runs on every start (an app's bootstrap, a seed). Safe
 * under concurrency: two processes starting at once get the same row (`insert ... on conflict
 * do nothing`, then a read). An owner's job, like {@link createCustomer}.
 *
 * @example
 * ```ts
 * const customer = await ensureCustomer(upstream, 'Acme Health') // the same row on every start
 * ```
 */
export async function ensureCustomer<DB>(upstream: UpstreamDatabase<DB>, name: string): Promise<Customer> {
  const db = upstream.db as unknown as Kysely<CoreDatabase> // customers is a table of the tenancy core
  try {
    const inserted = await db
      .insertInto('customers')
      .values({ name })
      .onConflict((oc) => oc.column('name').doNothing())
      .returningAll()
      .executeTakeFirst()
    return inserted ?? (await db.selectFrom('customers').selectAll().where('name', '=', name).executeTakeFirstOrThrow())
  } catch (error) {
    throw toDatabaseError(error)
  }
}
