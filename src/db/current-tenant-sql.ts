import { sql, type RawBuilder } from 'kysely'

/**
 * The SQL of the tenant the transaction runs as: the transaction-local `upstream.customer_id`
 * setting as `bigint`, or `NULL` when no tenant is set (so a policy comparing to it fails closed).
 */
export function currentTenantSql(): RawBuilder<number | null> {
  return sql<number | null>`nullif(current_setting('upstream.customer_id', true), '')::bigint`
}
