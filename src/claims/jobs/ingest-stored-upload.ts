import { sql } from 'kysely'
import type { Span } from '@opentelemetry/api'
import type { ClaimsTenantContext, ClaimsTenantScope, Upload } from '../core/index.js'
import { DEFAULT_MAX_UPLOAD_ERRORS, PROGRESS_EVERY_ROWS, type AfterLoad } from '../ingestion/index.js'
import { deleteStoredUploadBody, isFileFailure, limitedChunks, loadUpload, markUploadFailed, openByteSource, positiveInt, readStoredUploadBody, recordFailure } from '../ingestion/internal.js'
import { inSpan, TRACE_ATTRIBUTES } from '../../tracing/index.js'

/**
 * Options of {@link ingestStoredUpload}.
 *
 * @example
 * ```ts
 * const options: StoredUploadOptions = { finalAttempt: helpers.job.attempts >= helpers.job.max_attempts, signal: helpers.abortSignal }
 * ```
 */
export interface StoredUploadOptions {
  /** On the last attempt any failure ends the upload `failed` (else only the file's own failures do). */
  readonly finalAttempt?: boolean
  /** Stops the load (worker shutdown): rolled back, the upload stays `processing`, the error is thrown for a retry. */
  readonly signal?: AbortSignal
  /** Runs in the data transaction once the upload is `success` (the drift run is scheduled here). */
  readonly afterLoad?: AfterLoad
  /** Report at most this many row errors. Default 100. */
  readonly maxErrors?: number
  /** Called with the number of data rows read so far, every 10,000 rows and at the end. */
  readonly onProgress?: (rows: number) => void
}

/**
 * What became of a stored upload: `success` or `failed` now; `already_done` when an earlier
 * attempt had finished it (nothing is loaded twice); `missing` when the upload was deleted.
 *
 * @example
 * ```ts
 * const { outcome, upload } = await ingestStoredUpload(tenant, 12)
 * if (outcome === 'failed') console.log(upload?.error_message)
 * ```
 */
export interface StoredUploadResult {
  readonly outcome: 'success' | 'failed' | 'already_done' | 'missing'
  readonly upload: Upload | undefined
}

/**
 * Loads an upload stored by {@link enqueueUpload}: what the `upstream.ingest_upload` job
 * does. Idempotent, so a retried job is safe:
 *
 * 1. a short transaction locks the upload (`FOR UPDATE NOWAIT`): `success` or `failed`
 *    returns `already_done` (an attempt that finished but died before telling the queue);
 *    `pending` moves to `processing`; `processing` (an attempt that died mid-load, whose
 *    data transaction PostgreSQL rolled back) is loaded again;
 * 2. the data transaction of {@link ingestUpload} (the upload's row locked for the whole load,
 *    staging table, COPY, one `INSERT ... SELECT`, `success`), fed from `upload_bodies`; an
 *    attempt that arrives while another one loads finds the row locked in step 1 and fails at
 *    once (`LockNotAvailableError`, retried later); the stored body is deleted and `afterLoad`
 *    runs in that same transaction;
 * 3. the file's own failures (row errors, too many rows, empty) end the upload `failed` with
 *    its message and row errors (readable with {@link uploadErrors}); other failures (the
 *    database, a lock, a shutdown) leave it `processing` with its body (the sweep of abandoned
 *    uploads leaves such an upload alone) and are thrown for the job to be
 *    retried, except on the final attempt, where they end it `failed` too.
 *
 * @example
 * ```ts
 * const result = await ingestStoredUpload(claimsTenant(upstream, 7), 12, { signal: AbortSignal.timeout(600_000) })
 * result.outcome        // 'success'
 * result.upload?.status // 'success'
 * ```
 */
export function ingestStoredUpload(tenant: ClaimsTenantScope, uploadId: number, options: StoredUploadOptions = {}): Promise<StoredUploadResult> {
  return inSpan('ingest stored upload', { attributes: { [TRACE_ATTRIBUTES.uploadId]: uploadId } }, async (span) => {
    const result = await ingestStored(tenant, uploadId, options, span.isRecording() ? span : undefined)
    if (result.upload && span.isRecording()) span.setAttribute(TRACE_ATTRIBUTES.uploadStatus, result.upload.status)
    return result
  })
}

async function ingestStored(tenant: ClaimsTenantScope, uploadId: number, options: StoredUploadOptions, span: Span | undefined): Promise<StoredUploadResult> {
  const maxErrors = positiveInt(options.maxErrors, 'maxErrors', DEFAULT_MAX_UPLOAD_ERRORS)
  const claimed = await tenant.transaction(async (repos) => {
    const upload = await repos.uploads.forUpdate(uploadId, { nowait: true })
    if (!upload) return { outcome: 'missing' as const, upload: undefined }
    if (upload.status === 'success' || upload.status === 'failed') {
      await deleteStoredUploadBody(repos, uploadId)
      return { outcome: 'already_done' as const, upload }
    }
    if (upload.status === 'processing') return { outcome: 'load' as const, upload }
    const started = await repos.db
      .updateTable('uploads')
      .set({ status: 'processing', processing_started_at: sql<Date>`clock_timestamp()` })
      .where('customer_id', '=', repos.customerId)
      .where('id', '=', uploadId)
      .returningAll()
      .executeTakeFirstOrThrow()
    return { outcome: 'load' as const, upload: started }
  })
  if (claimed.outcome !== 'load') return claimed

  const deleteBody = (context: ClaimsTenantContext) => deleteStoredUploadBody(context, uploadId)
  const source = openByteSource(readStoredUploadBody(tenant, uploadId))
  try {
    const first = await source.next()
    if (!first) {
      const failed = await markUploadFailed(tenant, uploadId, 'The stored body of this upload is missing; nothing was loaded.')
      return { outcome: 'failed', upload: failed }
    }
    const upload = await loadUpload(tenant, uploadId, limitedChunks(first, source, Number.POSITIVE_INFINITY), {
      maxRows: Number.POSITIVE_INFINITY,
      maxErrors,
      progressEvery: PROGRESS_EVERY_ROWS,
      onProgress: options.onProgress ?? (() => undefined),
      signal: options.signal,
      span,
      afterLoad: async (context, done) => {
        await deleteBody(context)
        await options.afterLoad?.(context, done)
      },
    })
    return { outcome: 'success', upload }
  } catch (error) {
    if (!isFileFailure(error) && !options.finalAttempt) throw error
    return { outcome: 'failed', upload: await recordFailure(tenant, uploadId, error, deleteBody) }
  } finally {
    await source.close().catch(() => undefined)
  }
}
