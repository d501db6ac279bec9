import type { ClaimsTenantContext, ClaimsTenantScope } from '../core/index.js'
import { PayloadTooLargeError } from './payload-too-large-error.js'
import type { ByteSource } from './upload-body.js'
import { UploadBodyError } from './upload-body-error.js'

/**
 * The size of the `upload_bodies` chunks an asynchronous upload's body is stored in: 256 KiB.
 * A few of them sit in memory at once, whatever the file's size. Small enough that reading one
 * back (`bytea` comes as a hex string twice its size) stays off V8's large-object churn: with
 * 1 MiB chunks the worker's peak RSS for a 1,000,000-row file was about 40 MiB higher.
 *
 * @example
 * ```ts
 * Math.ceil(58_739_004 / UPLOAD_BODY_CHUNK_BYTES) // 225 rows for a 1,000,000-row file (56 MiB)
 * ```
 */
export const UPLOAD_BODY_CHUNK_BYTES = 256 * 1024

/**
 * Streams a body into `upload_bodies` inside the caller's tenant transaction: chunks of
 * {@link UPLOAD_BODY_CHUNK_BYTES} bytes, each inserted before more of the body is read (the
 * body is pulled no faster than PostgreSQL stores it). Refuses to go past `maxBytes`
 * ({@link PayloadTooLargeError}: the transaction then rolls back with nothing stored).
 * Returns the byte count. Internal to {@link enqueueUpload}.
 *
 * @example
 * ```ts
 * await tenant.transaction(async (repos) => storeUploadBody(repos, upload.id, first, source, 100 * 1024 * 1024))
 * ```
 */
export async function storeUploadBody(repos: ClaimsTenantContext, uploadId: number, first: Buffer, source: ByteSource, maxBytes: number): Promise<number> {
  let total = 0
  let chunk = 0
  let parts: Buffer[] = []
  let pending = 0
  const flush = async () => {
    if (pending === 0) return
    const data = parts.length === 1 ? parts[0]! : Buffer.concat(parts, pending)
    parts = []
    pending = 0
    await repos.db.insertInto('upload_bodies').values({ customer_id: repos.customerId, upload_id: uploadId, chunk: chunk++, data }).execute()
  }
  let next: Buffer | undefined = first
  while (next) {
    total += next.length
    if (total > maxBytes) throw new PayloadTooLargeError(maxBytes)
    parts.push(next)
    pending += next.length
    if (pending >= UPLOAD_BODY_CHUNK_BYTES) await flush()
    try {
      next = await source.next()
    } catch (error) {
      throw new UploadBodyError({ cause: error })
    }
  }
  await flush()
  return total
}

/**
 * Reads a stored body back, chunk by chunk, each in a short read-only tenant transaction of
 * its own (so a long load never holds a second transaction open). Internal to
 * {@link ingestStoredUpload}.
 *
 * @example
 * ```ts
 * for await (const chunk of readStoredUploadBody(tenant, 12)) process.stdout.write(chunk)
 * ```
 */
export async function* readStoredUploadBody(tenant: ClaimsTenantScope, uploadId: number): AsyncGenerator<Buffer> {
  for (let chunk = 0; ; chunk++) {
    const row = await tenant.read(({ db, customerId }) =>
      db
        .selectFrom('upload_bodies')
        .select('data')
        .where('customer_id', '=', customerId)
        .where('upload_id', '=', uploadId)
        .where('chunk', '=', chunk)
        .executeTakeFirst(),
    )
    if (!row) return
    yield row.data
  }
}

/**
 * Deletes a stored body inside the caller's tenant transaction (done with the load, or with
 * its failure). Internal.
 *
 * @example
 * ```ts
 * await tenant.transaction((repos) => deleteStoredUploadBody(repos, 12))
 * ```
 */
export async function deleteStoredUploadBody(repos: ClaimsTenantContext, uploadId: number): Promise<void> {
  await repos.db.deleteFrom('upload_bodies').where('customer_id', '=', repos.customerId).where('upload_id', '=', uploadId).execute()
}
