import { sql } from 'kysely'
import type { Kysely, RawBuilder } from 'kysely'
import type { MigrationContext } from '../../db/index.js'
import { currentTenantSql, quoteIdent } from '../../db/internal.js'

/** The joined search text of a claim: every search field, separated by one space. */
const SEARCH_TEXT = sql.raw(`claim_number || ' ' || payer_name || ' ' || cpt_code`)

/**
 * Claims migration 0010, the index budget of `claim_records` (docs/index-budget.md has the
 * measurements): every index costs every ingested row, so each one left must serve a read.
 *
 * - `claim_records_service_date_idx` becomes `(customer_id, service_date, id) include (status,
 *   payer_name, cpt_code, billed_amount, paid_amount)`: one index for the default ordering, the
 *   cursor pages, the `service_date` filters and the drift aggregate (an index-only scan, as
 *   `claim_records_drift_idx` of migration 0003 gave it), which is dropped;
 * - `claim_records_cpt_code_idx` is dropped: a `cpt_code` filter's page walks the service-date
 *   index backwards (as fast: one row in 15 to 40 matches), only its exact count reads the
 *   tenant's rows (`payer_name_idx` stays: the payer filter of the HTTP bench's filtered list and
 *   its exact count use it);
 * - the three trigram indexes (`claim_number`, `payer_name`, `cpt_code`) become one,
 *   `claim_records_search_trgm_idx` on `claim_number || ' ' || payer_name || ' ' || cpt_code`,
 *   which the search view exposes as `search_text`: a term never holds whitespace, so
 *   `search_text ilike '%term%'` matches exactly the rows the three `ilike`s matched.
 *
 * ```sql
 * select id from claim_records_search where search_text ilike '%molina%'
 * -- Bitmap Index Scan on claim_records_search_trgm_idx
 * ```
 */
export function indexBudget(ctx: MigrationContext) {
  const s = sql.id(ctx.schema)
  const tenant = currentTenantSql()
  const table = sql`${s}.claim_records`
  const opclass = async (db: Kysely<unknown>) => {
    const found = await sql<{ nspname: string }>`
      select n.nspname from pg_opclass o
      join pg_namespace n on n.oid = o.opcnamespace
      join pg_am a on a.oid = o.opcmethod
      where o.opcname = 'gin_trgm_ops' and a.amname = 'gin'`.execute(db)
    const schema = found.rows[0]?.nspname
    if (!schema) throw new Error('pg_trgm is installed but gin_trgm_ops was not found')
    return sql.raw(`${quoteIdent(schema)}.gin_trgm_ops`)
  }
  const view = (columns: RawBuilder<unknown>) => sql`
    create or replace view ${s}.claim_records_search as
    select customer_id, id, claim_number, payer_name, cpt_code${columns} from ${table}
    where customer_id = ${tenant}`
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await sql`
        create index claim_records_service_date_covering_idx on ${table} (customer_id, service_date, id)
          include (status, payer_name, cpt_code, billed_amount, paid_amount)`.execute(db)
      await sql`drop index ${s}.claim_records_service_date_idx`.execute(db)
      await sql`drop index ${s}.claim_records_drift_idx`.execute(db)
      await sql`alter index ${s}.claim_records_service_date_covering_idx rename to claim_records_service_date_idx`.execute(db)
      await sql`drop index ${s}.claim_records_cpt_code_idx`.execute(db)

      await view(sql`, ${SEARCH_TEXT} as search_text`).execute(db)
      await sql`create index claim_records_search_trgm_idx on ${table} using gin (customer_id, (${SEARCH_TEXT}) ${await opclass(db)})`.execute(db)
      for (const column of ['claim_number', 'payer_name', 'cpt_code']) {
        await sql`drop index ${s}.${sql.id(`claim_records_${column}_trgm_idx`)}`.execute(db)
      }
    },
    async down(db: Kysely<unknown>): Promise<void> {
      const ops = await opclass(db)
      for (const column of ['claim_number', 'payer_name', 'cpt_code']) {
        await sql`create index ${sql.id(`claim_records_${column}_trgm_idx`)} on ${table} using gin (customer_id, ${sql.id(column)} ${ops})`.execute(db)
      }
      await sql`drop index ${s}.claim_records_search_trgm_idx`.execute(db)
      await sql`drop view ${s}.claim_records_search`.execute(db)
      await view(sql``).execute(db)
      await sql`grant select on ${s}.claim_records_search to ${sql.id(ctx.runtimeRole)}`.execute(db)

      await sql`create index claim_records_cpt_code_idx on ${table} (customer_id, cpt_code, service_date, id)`.execute(db)
      await sql`
        create index claim_records_drift_idx on ${table} (customer_id, service_date)
          include (status, payer_name, cpt_code, billed_amount, paid_amount)`.execute(db)
      await sql`drop index ${s}.claim_records_service_date_idx`.execute(db)
      await sql`create index claim_records_service_date_idx on ${table} (customer_id, service_date, id)`.execute(db)
    },
  }
}
