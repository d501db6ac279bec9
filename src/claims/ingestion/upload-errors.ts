import type { ClaimsTenantScope, Upload } from '../core/index.js'
import type { UploadRowError } from './upload-row-error.js'

/**
 * An upload and its stored row errors (see {@link uploadErrors}).
 *
 * @example
 * ```ts
 * const { upload, errors }: UploadWithErrors = await uploadErrors(tenant, 12)
 * ```
 */
export interface UploadWithErrors {
  readonly upload: Upload
  /** The first row errors in file order; empty unless the upload failed on its rows. */
  readonly errors: readonly UploadRowError[]
}

/**
 * An upload with the row errors its failure recorded: what a client that sent
 * `Prefer: respond-async` reads once the upload is `failed`, the same errors a synchronous
 * upload answers in its 422 (`GET /uploads/{id}/errors/`). One short read-only transaction;
 * a missing (or another tenant's) upload is a {@link errors!NotFoundError}.
 *
 * @example
 * ```ts
 * const { upload, errors } = await uploadErrors(claimsTenant(upstream, 7), 12)
 * upload.status // 'failed'
 * errors        // [{ line: 7, column: 'service_date', message: 'Date has wrong format. ...' }]
 * ```
 */
export async function uploadErrors(tenant: ClaimsTenantScope, uploadId: number): Promise<UploadWithErrors> {
  return tenant.read(async ({ uploads, db, customerId }) => {
    const upload = await uploads.getById(uploadId)
    const rows = await db
      .selectFrom('upload_errors')
      .select(['line', 'column_name', 'message'])
      .where('customer_id', '=', customerId)
      .where('upload_id', '=', uploadId)
      .orderBy('position')
      .execute()
    return { upload, errors: rows.map((r) => ({ line: r.line, column: r.column_name, message: r.message })) }
  })
}
