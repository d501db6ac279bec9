import type { Kysely } from 'kysely'
import type { ClaimRecord, ClaimsDatabase, NewClaimRecord } from '../core/index.js'
import { NotFoundError } from '../../errors/index.js'
import { applyRowLock } from '../../tenancy/index.js'
import { refuseCustomerId } from '../../tenancy/index.js'
import type { RowLockOptions } from '../../tenancy/index.js'

/**
 * Fields a caller gives for a new claim (`customer_id` comes from the scope).
 *
 * @example
 * ```ts
 * const rows: ClaimInput[] = [
 *   { upload_id: 12, claim_number: 'C-1', payer_name: 'Aetna', cpt_code: '99213', service_date: '2025-01-31', billed_amount: '120.00', status: 'submitted' },
 *   { upload_id: 12, claim_number: 'C-2', payer_name: 'Cigna', cpt_code: '99214', service_date: '2025-01-31', billed_amount: 80, paid_amount: '64.00', status: 'paid' },
 * ]
 * const claims = await claimsTenant(upstream, 7).transaction(({ claims }) => claims.insertMany(rows))
 * ```
 */
export type ClaimInput = Omit<NewClaimRecord, 'customer_id'>

/**
 * One tenant's claim records, filtered by `customer_id` in every statement.
 * Bulk loads go through the ingestion service (COPY), not through here.
 *
 * @example
 * ```ts
 * const claim = await claimsTenant(upstream, 7).read(({ claims }) => claims.findById(10))
 * ```
 */
export class ClaimsRepository {
  readonly #db: Kysely<ClaimsDatabase>
  readonly #customerId: number

  constructor(db: Kysely<ClaimsDatabase>, customerId: number) {
    this.#db = db
    this.#customerId = customerId
  }

  #select() {
    return this.#db.selectFrom('claim_records').selectAll().where('customer_id', '=', this.#customerId)
  }

  /** The claim, or `undefined` when missing or another tenant's. */
  async findById(id: number): Promise<ClaimRecord | undefined> {
    return this.#select().where('id', '=', id).executeTakeFirst()
  }

  /** The claim, or a {@link errors!NotFoundError}. */
  async getById(id: number): Promise<ClaimRecord> {
    const row = await this.findById(id)
    if (!row) throw new NotFoundError('claim_records', id)
    return row
  }

  /** Inserts claims of this tenant in one statement; returns them in input order. */
  async insertMany(rows: readonly ClaimInput[]): Promise<ClaimRecord[]> {
    if (rows.length === 0) return []
    rows.forEach(refuseCustomerId)
    return this.#db
      .insertInto('claim_records')
      .values(rows.map((r) => ({ ...r, customer_id: this.#customerId })))
      .returningAll()
      .execute()
  }

  /**
   * Locks (`SELECT ... FOR UPDATE`) this tenant's claims with `service_date` in
   * `[start, end)` and returns them, ordered by `(service_date, id)` so that two
   * lockers take locks in the same order. It does not stop new rows from appearing
   * in the window (phantoms): for a consistent report use one snapshot instead.
   */
  async forUpdateInWindow(start: string, end: string, options: RowLockOptions = {}): Promise<ClaimRecord[]> {
    const qb = this.#select()
      .where('service_date', '>=', start)
      .where('service_date', '<', end)
      .orderBy('service_date')
      .orderBy('id')
    return applyRowLock(qb, options).execute()
  }
}
