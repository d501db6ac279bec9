import { sql, type Kysely } from 'kysely'
import type { ClaimsDatabase } from '../core/index.js'
import { CLAIM_CSV_COLUMNS } from './claim-csv-columns.js'
import type { UploadRowError } from './upload-row-error.js'

/**
 * The session-local staging table rows are loaded into before they reach `claim_records`.
 * PostgreSQL refuses `COPY FROM` into a table with row-level security for a role subject to
 * it, so the rows go into a TEMP table (no RLS, dropped at commit) and from there into
 * `claim_records` with one `INSERT ... SELECT`, which the RLS policy checks.
 *
 * @example
 * ```ts
 * await createStagingTable(trx)
 * ```
 */
export const STAGING_TABLE = 'upstream_ingest_staging'

/** The staging columns, in COPY order: the file line first, then the claim columns. */
export const STAGING_COLUMNS = ['line', ...CLAIM_CSV_COLUMNS] as const

const staging = sql.raw(`pg_temp.${STAGING_TABLE}`)
const claimColumns = sql.raw(STAGING_COLUMNS.slice(1).join(', '))

/**
 * Creates the staging table for the current transaction (`on commit drop`).
 *
 * @example
 * ```ts
 * await createStagingTable(trx)
 * ```
 */
export async function createStagingTable(db: Kysely<ClaimsDatabase>): Promise<void> {
  await sql`
    create temp table ${sql.raw(STAGING_TABLE)} (
      line integer not null,
      claim_number text not null,
      payer_name text not null,
      cpt_code text not null,
      service_date date not null,
      billed_amount numeric(12,2) not null,
      allowed_amount numeric(12,2),
      paid_amount numeric(12,2),
      status text not null,
      denial_reason text
    ) on commit drop`.execute(db)
}

/**
 * The `COPY ... FROM STDIN` statement into the staging table (text format). A leading
 * comment names the upload, so `pg_stat_activity.query` shows which upload a running COPY
 * belongs to (the comment reads `upstream ingest upload=12`).
 *
 * @example
 * ```ts
 * client.query(copyFrom(stagingCopySql(12)))
 * ```
 */
export function stagingCopySql(uploadId: number): string {
  return `/* upstream ingest upload=${Math.trunc(uploadId)} */ copy pg_temp.${STAGING_TABLE} (${STAGING_COLUMNS.join(', ')}) from stdin`
}

/**
 * Duplicate claim numbers within the file, as row errors at each repeat's line (the first
 * occurrence is fine), in line order, at most `limit`. One hash aggregate over the staging
 * table finds the claim numbers; only those rows are then read with their lines.
 *
 * @example
 * ```ts
 * const errors = await findDuplicateClaimNumbers(trx, 100)
 * // [{ line: 9, column: 'claim_number', message: 'Duplicate claim_number "C-1" (first on line 4).' }]
 * ```
 */
export async function findDuplicateClaimNumbers(db: Kysely<ClaimsDatabase>, limit: number): Promise<UploadRowError[]> {
  const { rows } = await sql<{ line: number; claim_number: string; first_line: number }>`
    with duplicated as (
      select claim_number from ${staging} group by claim_number having count(*) > 1
    )
    select line, claim_number, first_line from (
      select s.line, s.claim_number, min(s.line) over (partition by s.claim_number) as first_line
      from ${staging} s
      where s.claim_number in (select claim_number from duplicated)
    ) d
    where line > first_line
    order by line
    limit ${limit}`.execute(db)
  return rows.map((r) => ({
    line: Number(r.line),
    column: 'claim_number',
    message: `Duplicate claim_number "${r.claim_number}" (first on line ${Number(r.first_line)}).`,
  }))
}

/**
 * Moves every staged row into `claim_records` for this tenant and upload; returns how many.
 *
 * @example
 * ```ts
 * const inserted = await insertStagedClaims(trx, 'upstream', 7, 12)
 * ```
 */
export async function insertStagedClaims(db: Kysely<ClaimsDatabase>, schema: string, customerId: number, uploadId: number): Promise<number> {
  const result = await sql`
    insert into ${sql.id(schema, 'claim_records')} (customer_id, upload_id, ${claimColumns})
    select ${customerId}::bigint, ${uploadId}::bigint, ${claimColumns} from ${staging}`.execute(db)
  return Number(result.numAffectedRows ?? 0n)
}
