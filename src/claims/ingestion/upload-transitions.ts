import { sql } from 'kysely'
import type { Upload } from '../core/index.js'
import type { ClaimsTenantContext } from '../core/index.js'
import type { ClaimsTenantScope } from '../core/index.js'
import { UploadStatusConflictError } from './upload-status-conflict-error.js'

/**
 * pending -> processing, stamping `processing_started_at`; committed on its own so a reader
 * sees the upload is being processed. Only from `pending`.
 *
 * @example
 * ```ts
 * const upload = await markUploadProcessing(tenant, 12)
 * ```
 */
export async function markUploadProcessing(tenant: ClaimsTenantScope, uploadId: number): Promise<Upload> {
  const row = await tenant.transaction(({ db, customerId }) =>
    db
      .updateTable('uploads')
      .set({ status: 'processing', processing_started_at: sql<Date>`clock_timestamp()` })
      .where('customer_id', '=', customerId)
      .where('id', '=', uploadId)
      .where('status', '=', 'pending')
      .returningAll()
      .executeTakeFirst(),
  )
  if (!row) throw new UploadStatusConflictError(uploadId, 'pending')
  return row
}

/**
 * processing -> success with the row count, inside the data transaction (so the claims and
 * the `success` commit together). Only from `processing`.
 *
 * @example
 * ```ts
 * await tenant.transaction(async (repos) => { ...; await markUploadSucceeded(repos, 12, 1000) })
 * ```
 */
export async function markUploadSucceeded(repos: ClaimsTenantContext, uploadId: number, rowCount: number): Promise<Upload> {
  const row = await repos.db
    .updateTable('uploads')
    .set({ status: 'success', row_count: rowCount, error_message: null, processing_completed_at: sql<Date>`clock_timestamp()` })
    .where('customer_id', '=', repos.customerId)
    .where('id', '=', uploadId)
    .where('status', '=', 'processing')
    .returningAll()
    .executeTakeFirst()
  if (!row) throw new UploadStatusConflictError(uploadId, 'processing')
  return row
}

/**
 * processing -> failed with the reason, in a transaction of its own (on a pooled connection,
 * not the one the failed load ran on). Only from `processing`.
 *
 * @example
 * ```ts
 * const failed = await markUploadFailed(tenant, 12, 'Line 7: billed_amount: A valid number is required.')
 * ```
 */
export async function markUploadFailed(tenant: ClaimsTenantScope, uploadId: number, message: string): Promise<Upload> {
  const row = await tenant.transaction(({ db, customerId }) =>
    db
      .updateTable('uploads')
      .set({ status: 'failed', row_count: null, error_message: message, processing_completed_at: sql<Date>`clock_timestamp()` })
      .where('customer_id', '=', customerId)
      .where('id', '=', uploadId)
      .where('status', '=', 'processing')
      .returningAll()
      .executeTakeFirst(),
  )
  if (!row) throw new UploadStatusConflictError(uploadId, 'processing')
  return row
}
