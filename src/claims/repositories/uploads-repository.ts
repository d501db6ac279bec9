import type { Kysely } from 'kysely'
import type { ClaimsDatabase, NewUpload, Upload, UploadUpdate } from '../core/index.js'
import { NotFoundError } from '../../errors/index.js'
import { applyRowLock } from '../../tenancy/index.js'
import type { RowLockOptions } from '../../tenancy/index.js'
import { refuseCustomerId } from '../../tenancy/index.js'

/**
 * Fields a caller may set on a new upload (`customer_id` comes from the scope).
 *
 * @example
 * ```ts
 * const input: UploadInput = { filename: 'june.csv' } // status defaults to 'pending'
 * const upload = await claimsTenant(upstream, 7).transaction(({ uploads }) => uploads.create(input))
 * ```
 */
export type UploadInput = Omit<NewUpload, 'customer_id'>
/**
 * Fields a caller may change on an upload.
 *
 * @example
 * ```ts
 * const changes: UploadChanges = { status: 'failed', error_message: 'Row 12: invalid date', processing_completed_at: new Date() }
 * const upload = await claimsTenant(upstream, 7).transaction(({ uploads }) => uploads.update(12, changes))
 * ```
 */
export type UploadChanges = Omit<UploadUpdate, 'customer_id' | 'id'>

/**
 * One tenant's uploads. Every statement carries `customer_id = <tenant>` in SQL, on top
 * of row-level security; another tenant's id reads exactly as a missing one.
 *
 * @example
 * ```ts
 * await claimsTenant(upstream, 7).transaction(async ({ uploads }) => {
 *   const upload = await uploads.create({ filename: 'claims.csv' })
 *   const locked = await uploads.forUpdate(upload.id, { nowait: true })
 * })
 * ```
 */
export class UploadsRepository {
  readonly #db: Kysely<ClaimsDatabase>
  readonly #customerId: number

  constructor(db: Kysely<ClaimsDatabase>, customerId: number) {
    this.#db = db
    this.#customerId = customerId
  }

  #select() {
    return this.#db.selectFrom('uploads').selectAll().where('customer_id', '=', this.#customerId)
  }

  /** The upload, or `undefined` when it is missing or another tenant's. */
  async findById(id: number): Promise<Upload | undefined> {
    return this.#select().where('id', '=', id).executeTakeFirst()
  }

  /** The upload, or a {@link errors!NotFoundError}. */
  async getById(id: number): Promise<Upload> {
    const row = await this.findById(id)
    if (!row) throw new NotFoundError('uploads', id)
    return row
  }

  /** Reads and locks the upload (`FOR UPDATE`) until the transaction ends; `undefined` when missing (or locked, with `skipLocked`). */
  async forUpdate(id: number, options: RowLockOptions = {}): Promise<Upload | undefined> {
    return applyRowLock(this.#select().where('id', '=', id), options).executeTakeFirst()
  }

  /** Inserts an upload of this tenant. */
  async create(values: UploadInput): Promise<Upload> {
    refuseCustomerId(values)
    return this.#db
      .insertInto('uploads')
      .values({ ...values, customer_id: this.#customerId })
      .returningAll()
      .executeTakeFirstOrThrow()
  }

  /** Changes an upload; a {@link errors!NotFoundError} when it is missing or another tenant's. */
  async update(id: number, changes: UploadChanges): Promise<Upload> {
    refuseCustomerId(changes)
    const row = await this.#db
      .updateTable('uploads')
      .set(changes)
      .where('customer_id', '=', this.#customerId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst()
    if (!row) throw new NotFoundError('uploads', id)
    return row
  }

  /** Deletes an upload and its claims; `false` when it is missing or another tenant's. */
  async delete(id: number): Promise<boolean> {
    const result = await this.#db
      .deleteFrom('uploads')
      .where('customer_id', '=', this.#customerId)
      .where('id', '=', id)
      .executeTakeFirst()
    return result.numDeletedRows > 0n
  }
}
