import { sql, type Kysely } from 'kysely'
import type { ClaimsDatabase } from '../../support/upstream.js'

/** A block of synthetic claims: `count` claims spread evenly over `days` days from `start`. */
export interface ClaimSegment {
  readonly payer: string
  readonly cpt?: string
  /** First service date, YYYY-MM-DD. */
  readonly start: string
  /** Number of days the claims spread over (service_date = start + i % days). */
  readonly days: number
  readonly count: number
  /** Probability of `denied` among adjudicated claims. */
  readonly denialRate: number
  /** Mean of paid/billed over paid and adjusted claims. */
  readonly ratioMean: number
  /** Standard deviation of paid/billed (approximately normal, clamped to [0, 1.2]). */
  readonly ratioSd?: number
  /** Share of `submitted` (not adjudicated) claims; default 0.05. */
  readonly submittedShare?: number
  /** Seed of the deterministic pseudo-random numbers. */
  readonly seed: string
}

/**
 * Inserts synthetic claims with ONE `INSERT ... SELECT generate_series` per segment, run on the
 * given connection (a tenant transaction: row-level security checks every row). Randomness is
 * deterministic: uniform numbers from md5(seed, i, k), so each test sees the same data every run.
 * About 5% of rows are `submitted` (not adjudicated, ignored by drift detection) and 1% have
 * billed_amount 0 (excluded from the paid ratio).
 */
export async function plantClaims(
  db: Kysely<ClaimsDatabase>,
  schema: string,
  customerId: number,
  uploadId: number,
  segments: readonly ClaimSegment[],
): Promise<void> {
  for (const [index, s] of segments.entries()) {
    const u = (k: number) => sql`(('x' || substr(md5(${s.seed} || ':' || i || ':' || ${String(k)}), 1, 8))::bit(32)::bigint / 4294967296.0)`
    await sql`
      insert into ${sql.id(schema, 'claim_records')}
        (customer_id, upload_id, claim_number, payer_name, cpt_code, service_date, billed_amount, allowed_amount, paid_amount, status)
      select ${customerId}, ${uploadId}, ${`${s.seed}-${index}-`} || i, ${s.payer}, ${s.cpt ?? '99213'},
        ${s.start}::date + (i % ${s.days})::int,
        billed, billed,
        case when status = 'denied' then null else round(billed * ratio, 2) end,
        status
      from (
        select i,
          case when ${u(0)} < 0.01 then 0 else round((50 + 450 * ${u(1)})::numeric, 2) end as billed,
          case when ${u(2)} < ${s.submittedShare ?? 0.05} then 'submitted'
               when ${u(3)} < ${s.denialRate} then 'denied'
               when ${u(3)} < ${s.denialRate} + 0.1 then 'adjusted'
               else 'paid' end as status,
          greatest(0, least(1.2, ${s.ratioMean} + ${s.ratioSd ?? 0.1} * sqrt(3.0) * (${u(4)} + ${u(5)} + ${u(6)} + ${u(7)} - 2)))::numeric as ratio
        from generate_series(1, ${s.count}) as i
      ) g`.execute(db)
  }
}
