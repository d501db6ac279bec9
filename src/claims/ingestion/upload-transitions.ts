import { sql } from 'kysely'
import type { Upload } from '../core/index.js'
import type { ClaimsTenantContext } from '../core/index.js'
import type { ClaimsTenantScope } from '../core/index.js'
import { UploadStatusConflictError } from './upload-status-conflict-error.js'
import type { UploadRowError } from './upload-row-error.js'

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
 * Locks the upload's row (`FOR NO KEY UPDATE`) in the load's transaction, first thing, and
 * holds it until that transaction ends: while a process is loading an upload, its row is
 * locked; once the process is gone (crashed, killed, its connection cut), PostgreSQL ends
 * the transaction and the lock with it. That is how {@link failAbandonedUploads} tells an
 * upload in progress from an abandoned one, without heartbeats or clocks.
 *
 * @example
 * ```ts
 * await tenant.transaction(async (repos) => { await lockUploadForLoad(repos, 12); ...load... })
 * ```
 */
export async function lockUploadForLoad(repos: ClaimsTenantContext, uploadId: number): Promise<void> {
  const row = await repos.db
    .selectFrom('uploads')
    .select('id')
    .where('customer_id', '=', repos.customerId)
    .where('id', '=', uploadId)
    .where('status', '=', 'processing')
    .forNoKeyUpdate()
    .executeTakeFirst()
  if (!row) throw new UploadStatusConflictError(uploadId, 'processing')
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

/**
 * A failure message PostgreSQL can store whatever the file held: NUL characters (which a
 * `text` column refuses, SQLSTATE 22021) written as `\u0000`, lone UTF-16 surrogates replaced,
 * and at most 2,000 characters.
 *
 * @example
 * ```ts
 * storableMessage('Unknown column "a\u0000b".') // 'Unknown column "a\\u0000b".'
 * ```
 */
export function storableMessage(message: string): string {
  const clean = message.replaceAll('\0', '\\u0000').replace(LONE_SURROGATE, '\uFFFD')
  return clean.length > 2000 ? `${clean.slice(0, 1999)}…` : clean
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
 * processing -> failed with the reason and the row errors (stored in `upload_errors`, so they
 * can be read later: `GET /uploads/{id}/errors/`), in a transaction of its own (on a pooled
 * connection, not the one the failed load ran on). Only from `processing`. The reason and the
 * errors' messages are stored through {@link storableMessage}, so no byte of the file can make
 * this update fail. When `also` is given it runs in the same transaction (the worker deletes
 * the stored body there).
 *
 * @example
 * ```ts
 * const failed = await markUploadFailed(tenant, 12, 'The file has invalid rows; ...', [{ line: 7, column: 'service_date', message: '...' }])
 * ```
 */
export async function markUploadFailed(
  tenant: ClaimsTenantScope,
  uploadId: number,
  message: string,
  errors: readonly UploadRowError[] = [],
  also?: (context: ClaimsTenantContext) => Promise<void>,
): Promise<Upload> {
  const row = await tenant.transaction(async (context) => {
    const { db, customerId } = context
    const failed = await db
      .updateTable('uploads')
      .set({ status: 'failed', row_count: null, error_message: storableMessage(message), processing_completed_at: sql<Date>`clock_timestamp()` })
      .where('customer_id', '=', customerId)
      .where('id', '=', uploadId)
      .where('status', '=', 'processing')
      .returningAll()
      .executeTakeFirst()
    if (!failed) return undefined
    if (errors.length > 0) {
      await db
        .insertInto('upload_errors')
        .values(
          errors.map((e, position) => ({
            customer_id: customerId,
            upload_id: uploadId,
            position,
            line: e.line,
            column_name: e.column === null ? null : storableMessage(e.column),
            message: storableMessage(e.message),
          })),
        )
        .execute()
    }
    await also?.(context)
    return failed
  })
  if (!row) throw new UploadStatusConflictError(uploadId, 'processing')
  return row
}
