import type { Span } from '@opentelemetry/api'
import type { Upload } from '../core/index.js'
import type { ClaimsTenantScope } from '../core/index.js'
import { inSpan, TRACE_ATTRIBUTES } from '../../tracing/index.js'
import { EmptyUploadError } from './empty-upload-error.js'
import { IngestionFailedError } from './ingestion-failed-error.js'
import { checkFilename, limitedChunks, loadUpload, positiveInt, recordFailure, RowErrors, type AfterLoad } from './load-upload.js'
import { PayloadTooLargeError } from './payload-too-large-error.js'
import { TooManyRowsError } from './too-many-rows-error.js'
import { openByteSource, type UploadBody } from './upload-body.js'
import { UploadBodyError } from './upload-body-error.js'
import { UploadEncodingError } from './upload-encoding-error.js'
import { markUploadProcessing } from './upload-transitions.js'
import { sniffUploadBytes } from './utf8-text-check.js'

/**
 * 100 MiB: the default {@link UploadIngestionInput.maxBytes}.
 *
 * @example
 * ```ts
 * const upload = await ingestUpload(claimsTenant(upstream, 7), {
 *   filename: 'big.csv',
 *   body: createReadStream('big.csv'),
 *   maxBytes: 2 * DEFAULT_MAX_UPLOAD_BYTES, // up to 200 MiB
 * })
 * ```
 */
export const DEFAULT_MAX_UPLOAD_BYTES = 100 * 1024 * 1024
/**
 * The default {@link UploadIngestionInput.maxErrors}.
 *
 * @example
 * ```ts
 * const upload = await ingestUpload(claimsTenant(upstream, 7), {
 *   filename: 'claims.csv',
 *   body: request.body!,
 *   maxErrors: DEFAULT_MAX_UPLOAD_ERRORS * 10, // report up to 1,000 row errors
 * })
 * ```
 */
export const DEFAULT_MAX_UPLOAD_ERRORS = 100
/**
 * How often (in rows) {@link UploadIngestionInput.onProgress} is called.
 *
 * @example
 * ```ts
 * const seen: number[] = []
 * await ingestUpload(claimsTenant(upstream, 7), { filename: 'claims.csv', body: createReadStream('claims.csv'), onProgress: (rows) => seen.push(rows) })
 * // a file of 25,000 rows: seen is [10000, 20000, 25000], every PROGRESS_EVERY_ROWS rows and once at the end
 * ```
 */
export const PROGRESS_EVERY_ROWS = 10_000

/**
 * What {@link ingestUpload} takes.
 *
 * @example
 * ```ts
 * const input: UploadIngestionInput = {
 *   filename: 'claims-2025-01.csv',
 *   body: createReadStream('claims-2025-01.csv'),
 *   maxRows: 1_000_000,
 *   maxErrors: 20,
 *   onProgress: (rows) => console.log(`${rows} rows read`),
 *   signal: AbortSignal.timeout(60_000),
 * }
 * const upload = await ingestUpload(claimsTenant(upstream, 7), input)
 * ```
 */
export interface UploadIngestionInput {
  /** The file's name as the client gave it (1 to 255 characters). */
  readonly filename: string
  /** The CSV bytes, streamed; never read past `maxBytes`. */
  readonly body: UploadBody
  /** Refuse bodies larger than this (bytes). Default 100 MiB. */
  readonly maxBytes?: number
  /** Refuse files with more data rows than this. Default: no limit. */
  readonly maxRows?: number
  /** Report at most this many row errors (and stop reading there). Default 100. */
  readonly maxErrors?: number
  /** Called with the number of data rows read so far, every 10,000 rows and at the end. */
  readonly onProgress?: (rows: number) => void
  /** Cancels the upload: nothing is loaded, the upload ends `failed`, the signal's reason is thrown. */
  readonly signal?: AbortSignal
  /**
   * Runs inside the data transaction once the upload is `success`: what it writes commits with
   * the claims or not at all (the claims services schedule the tenant's drift run here when
   * background jobs are on). Throwing fails the upload.
   */
  readonly afterLoad?: AfterLoad
}

/**
 * Loads one claims CSV for a tenant, all or nothing (docs/http-api.md), and returns the
 * finished upload (`success`, `row_count` set).
 *
 * How: the upload row is created `pending` and moved to `processing` in transactions of
 * their own (committed before the load, so progress and failure are visible). The body is
 * parsed as a stream with csv-parse, each row is validated with zod
 * ({@link claimCsvRowSchema}) and streamed with `COPY ... FROM STDIN` (pg-copy-streams)
 * into a TEMP staging table, on the connection of ONE tenant transaction; duplicate claim
 * numbers are found there with one aggregate; then one `INSERT ... SELECT` moves the rows
 * into `claim_records` (where row-level security checks them) and the upload becomes
 * `success` in that same transaction. The body is pulled no faster than PostgreSQL takes
 * rows, so memory stays flat whatever the size. On PGlite (no `pg` client) the staging
 * table is filled with batched `INSERT ... unnest(...)` instead of COPY; all else is equal.
 *
 * On any failure no claim row lands and the upload ends `failed` with `error_message` and
 * both timestamps, written on another connection:
 * - invalid rows or duplicate claim numbers: {@link IngestionFailedError} with the first
 *   `maxErrors` errors and their 1-based file lines (HTTP 422);
 * - body over `maxBytes`: {@link PayloadTooLargeError}, the rest is not read (HTTP 413);
 * - more than `maxRows` rows: {@link TooManyRowsError} (HTTP 413);
 * - no byte at all: {@link EmptyUploadError} and no upload row (HTTP 400);
 * - bytes that cannot start UTF-8 CSV text (a UTF-16/UTF-32 byte order mark, gzip, zip or
 *   other binary signatures, a NUL or non-UTF-8 byte in the header row):
 *   {@link UploadEncodingError} and no upload row (HTTP 400); a byte that is not UTF-8 further
 *   down: {@link IngestionFailedError} naming its line (HTTP 422);
 * - the connection lost or the backend killed mid-COPY: the classified database error
 *   (`DatabaseUnavailableError`, HTTP 503); the body stream failing: {@link UploadBodyError}.
 *
 * Reading stops early on those failures without destroying a Node stream or cancelling a
 * web stream, so the caller can still answer on the same HTTP connection.
 *
 * Traced as one `ingest upload` span (upload id, loader `copy` or `insert`, rows, final
 * status) over its transactions and statements (the `COPY` included), once the app installs
 * an OpenTelemetry SDK.
 *
 * @example
 * ```ts
 * import { createReadStream } from 'node:fs'
 * const upload = await ingestUpload(claimsTenant(upstream, 7), {
 *   filename: 'claims-2024-03.csv',
 *   body: createReadStream('claims-2024-03.csv'),
 *   onProgress: (rows) => console.log(`${rows} rows`),
 * })
 * upload.status    // 'success'
 * upload.row_count // 1000000
 * ```
 */
export function ingestUpload(tenant: ClaimsTenantScope, input: UploadIngestionInput): Promise<Upload> {
  return inSpan('ingest upload', {}, (span) => ingest(tenant, input, span))
}

async function ingest(tenant: ClaimsTenantScope, input: UploadIngestionInput, span: Span): Promise<Upload> {
  const recording = span.isRecording()
  const filename = checkFilename(input.filename)
  const maxBytes = positiveInt(input.maxBytes, 'maxBytes', DEFAULT_MAX_UPLOAD_BYTES)
  const maxRows = positiveInt(input.maxRows, 'maxRows', Number.POSITIVE_INFINITY)
  const maxErrors = positiveInt(input.maxErrors, 'maxErrors', DEFAULT_MAX_UPLOAD_ERRORS)
  const onProgress = input.onProgress ?? (() => undefined)
  input.signal?.throwIfAborted()

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

    const created = await tenant.transaction(({ uploads }) => uploads.create({ filename }))
    if (recording) span.setAttribute(TRACE_ATTRIBUTES.uploadId, created.id)
    const { id } = await markUploadProcessing(tenant, created.id)
    try {
      return await loadUpload(tenant, id, limitedChunks(first, source, maxBytes), {
        maxRows,
        maxErrors,
        progressEvery: PROGRESS_EVERY_ROWS,
        onProgress,
        signal: input.signal,
        afterLoad: input.afterLoad,
        span: recording ? span : undefined,
      })
    } catch (error) {
      const failed = await recordFailure(tenant, id, error)
      if (recording) span.setAttribute(TRACE_ATTRIBUTES.uploadStatus, failed.status)
      if (error instanceof RowErrors) throw new IngestionFailedError(failed, error.errors)
      if (error instanceof PayloadTooLargeError || error instanceof TooManyRowsError) throw error.withUpload(failed)
      if (error instanceof EmptyUploadError) throw new EmptyUploadError(failed)
      throw error
    }
  } finally {
    await source.close().catch(() => undefined)
  }
}
