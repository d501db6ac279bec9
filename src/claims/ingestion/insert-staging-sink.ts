import { sql, type Kysely } from 'kysely'
import type { ClaimsDatabase } from '../core/index.js'
import type { ClaimCsvRow } from './claim-csv-row-schema.js'
import { STAGING_TABLE } from './staging-table.js'
import type { StagingSink } from './staging-sink.js'

const BATCH_ROWS = 2000

/**
 * Loads rows into the staging table with batched `INSERT ... SELECT FROM unnest(...)`
 * statements (one array parameter per column, {@link BATCH_ROWS} rows each) through the
 * transaction's Kysely. Used where there is no `pg` client to COPY through (PGlite, or a
 * Kysely the library did not create). Memory holds one batch at a time.
 *
 * @example
 * ```ts
 * const sink = new InsertStagingSink(trx) // inside the transaction, after createStagingTable
 * ```
 */
export class InsertStagingSink implements StagingSink {
  readonly #db: Kysely<ClaimsDatabase>
  #columns = InsertStagingSink.#empty()

  constructor(db: Kysely<ClaimsDatabase>) {
    this.#db = db
  }

  static #empty() {
    return {
      line: [] as number[],
      claim_number: [] as string[],
      payer_name: [] as string[],
      cpt_code: [] as string[],
      service_date: [] as string[],
      billed_amount: [] as string[],
      allowed_amount: [] as (string | null)[],
      paid_amount: [] as (string | null)[],
      status: [] as string[],
      denial_reason: [] as (string | null)[],
    }
  }

  add(line: number, row: ClaimCsvRow): Promise<void> | undefined {
    const c = this.#columns
    c.line.push(line)
    c.claim_number.push(row.claim_number)
    c.payer_name.push(row.payer_name)
    c.cpt_code.push(row.cpt_code)
    c.service_date.push(row.service_date)
    c.billed_amount.push(row.billed_amount)
    c.allowed_amount.push(row.allowed_amount)
    c.paid_amount.push(row.paid_amount)
    c.status.push(row.status)
    c.denial_reason.push(row.denial_reason)
    return c.line.length >= BATCH_ROWS ? this.#flush() : undefined
  }

  async #flush(): Promise<void> {
    const c = this.#columns
    if (c.line.length === 0) return
    this.#columns = InsertStagingSink.#empty()
    await sql`
      insert into ${sql.raw(`pg_temp.${STAGING_TABLE}`)}
      select * from unnest(
        ${c.line}::integer[], ${c.claim_number}::text[], ${c.payer_name}::text[], ${c.cpt_code}::text[],
        ${c.service_date}::date[], ${c.billed_amount}::numeric[], ${c.allowed_amount}::numeric[],
        ${c.paid_amount}::numeric[], ${c.status}::text[], ${c.denial_reason}::text[]
      )`.execute(this.#db)
  }

  async finish(): Promise<void> {
    await this.#flush()
  }

  async abort(): Promise<void> {
    this.#columns = InsertStagingSink.#empty()
  }
}
