/**
 * The transaction-local setting the row-level security policies read. The library sets it
 * with `set_config('upstream.customer_id', id, true)` inside each tenant transaction, so it
 * never outlives the transaction (safe behind PgBouncer in transaction mode), and a
 * connection with no tenant set sees no tenant rows at all.
 *
 * @example
 * ```ts
 * await sql`select set_config(${TENANT_SETTING}, '42', true)`.execute(trx)
 * ```
 */
export const TENANT_SETTING = 'upstream.customer_id'
