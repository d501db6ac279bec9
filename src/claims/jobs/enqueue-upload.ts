import { enqueueTenantJob, JobQueueUnavailableError } from '../../jobs/index.js'
import type { ClaimsTenantScope, Upload } from '../core/index.js'
import { DEFAULT_MAX_UPLOAD_BYTES, EmptyUploadError, UploadBodyError, UploadEncodingError, type UploadBody } from '../ingestion/index.js'
import { checkFilename, openByteSource, positiveInt, sniffUploadBytes, storeUploadBody } from '../ingestion/internal.js'
import { CLAIMS_JOB_MAX_ATTEMPTS, CLAIMS_JOB_NAMES } from './claims-job-names.js'

/**
 * What {@link enqueueUpload} takes.
 *
 * @example
 * ```ts
 * const input: EnqueueUploadInput = { filename: 'claims.csv', body: req, maxBytes: 50 * 1024 * 1024 }
 * ```
 */
export interface EnqueueUploadInput {
  /** The file's name as the client gave it (1 to 255 characters). */
  readonly filename: string
  /** The CSV bytes, streamed; never read past `maxBytes`. */
  readonly body: UploadBody
  /** Refuse bodies larger than this (bytes). Default 100 MiB. */
  readonly maxBytes?: number
}

/**
 * Accepts an upload for a worker to load (`POST /uploads/` with `Prefer: respond-async`):
 * in ONE tenant transaction it creates the upload (`pending`), streams the body into
 * `upload_bodies` (256 KiB chunks, flat memory) and enqueues the `upstream.ingest_upload` job,
 * then commits. So there is no job without its upload and body, and no upload without its
 * job. Returns the `pending` upload; {@link claimsJobTasks} loads it later with the same
 * machinery as {@link ingestUpload} (all or nothing, row errors stored on the upload).
 *
 * Failures roll everything back, so nothing is created: no byte at all ->
 * {@link EmptyUploadError} (400); a first chunk that cannot start UTF-8 CSV text (gzip, zip,
 * UTF-16...) -> {@link UploadEncodingError} (400); over `maxBytes` -> {@link PayloadTooLargeError} (413,
 * without an upload); the body stream failing -> {@link UploadBodyError}; no queue
 * installed, or PGlite -> {@link JobQueueUnavailableError} (503). Row validation happens in
 * the worker: a file with bad rows is accepted here and ends `failed` there.
 *
 * @example
 * ```ts
 * const upload = await enqueueUpload(claimsTenant(upstream, 7), { filename: 'big.csv', body: createReadStream('big.csv') })
 * upload.status // 'pending'; a worker moves it to 'processing', then 'success' or 'failed'
 * ```
 */
export async function enqueueUpload(tenant: ClaimsTenantScope, input: EnqueueUploadInput): Promise<Upload> {
  const filename = checkFilename(input.filename)
  const maxBytes = positiveInt(input.maxBytes, 'maxBytes', DEFAULT_MAX_UPLOAD_BYTES)
  if (tenant.upstream.dialect !== 'postgres') throw new JobQueueUnavailableError('unsupported')
  const source = openByteSource(input.body)
  try {
    let first: Buffer | undefined
    try {
      first = await source.next()
    } catch (error) {
      throw new UploadBodyError({ cause: error })
    }
    if (!first) throw new EmptyUploadError()
    const notText = sniffUploadBytes(first)
    if (notText) throw new UploadEncodingError(notText)
    const body = first
    return await tenant.transaction(
      async (repos) => {
        const upload = await repos.uploads.create({ filename })
        await storeUploadBody(repos, upload.id, body, source, maxBytes)
        await enqueueTenantJob(repos.db, tenant.upstream.schema, {
          task: CLAIMS_JOB_NAMES.ingestUpload,
          payload: { upload_id: upload.id },
          maxAttempts: CLAIMS_JOB_MAX_ATTEMPTS.ingestUpload,
        })
        return upload
      },
      { maxAttempts: 1 }, // a body cannot be read twice
    )
  } finally {
    await source.close().catch(() => undefined)
  }
}
