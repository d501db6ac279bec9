import { sql, type Expression, type RawBuilder } from 'kysely'

/**
 * The SQL of a tenant's data version in `schema`: its row of `data_versions` (bumped by the
 * tenant tables' statement triggers), 0 before its first write. `customer` is the tenant's id
 * (sent as a parameter) or an expression of it, such as {@link currentTenantSql}.
 *
 * @example
 * ```ts
 * await sql`select ${tenantVersionSql('upstream', 7)} as v`.execute(trx)
 * ```
 */
export function tenantVersionSql(schema: string, customer: number | Expression<unknown>): RawBuilder<unknown> {
  return sql`coalesce((select version from ${sql.id(schema, 'data_versions')} where customer_id = ${customer}), 0)`
}
