import { sql } from 'kysely'
import type { Kysely } from 'kysely'
import type { MigrationContext } from '../../db/index.js'

/**
 * Claims migration 0003, for drift detection: a covering index for its one aggregate statement,
 *
 * ```sql
 * create index claim_records_drift_idx on claim_records (customer_id, service_date)
 *   include (status, payer_name, cpt_code, billed_amount, paid_amount)
 * ```
 *
 * The statement reads one tenant's claims in `[baseline_start, as_of)` and only these
 * columns, so PostgreSQL can answer it with an index-only scan of that tenant's date range
 * (on pages the visibility map marks all-visible) instead of a scan of every tenant's rows.
 */
export function driftCoveringIndex(ctx: MigrationContext) {
  const s = sql.id(ctx.schema)
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await sql`
        create index claim_records_drift_idx on ${s}.claim_records (customer_id, service_date)
          include (status, payer_name, cpt_code, billed_amount, paid_amount)`.execute(db)
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await sql`drop index if exists ${s}.claim_records_drift_idx`.execute(db)
    },
  }
}
