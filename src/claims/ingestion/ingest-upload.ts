import type { Span } from '@opentelemetry/api'
import type { Upload } from '../core/index.js'
import { withDedicatedConnection } from '../../db/index.js'
import { DatabaseUnavailableError, toDatabaseError } from '../../errors/index.js'
import { UpstreamError } from '../../errors/index.js'
import { ValidationError } from '../../errors/index.js'
import { claimsTenant, type ClaimsTenantScope } from '../core/index.js'
import type { ClaimsTenantContext } from '../core/index.js'
import { inSpan, TRACE_ATTRIBUTES } from '../../tracing/index.js'
import { CopyStagingSink } from './copy-staging-sink.js'
import { EmptyUploadError } from './empty-upload-error.js'
import { IngestionFailedError } from './ingestion-failed-error.js'
import { InsertStagingSink } from './insert-staging-sink.js'
import { parseClaimsCsv } from './parse-claims-csv.js'
import { PayloadTooLargeError } from './payload-too-large-error.js'
import { createStagingTable, findDuplicateClaimNumbers, insertStagedClaims } from './staging-table.js'
import type { StagingSink } from './staging-sink.js'
import { TooManyRowsError } from './too-many-rows-error.js'
import { openByteSource, type ByteSource, type UploadBody } from './upload-body.js'
import { UploadBodyError } from './upload-body-error.js'
import type { UploadRowError } from './upload-row-error.js'
import { UploadEncodingError } from './upload-encoding-error.js'
import { lockUploadForLoad, markUploadFailed, markUploadProcessing, markUploadSucceeded } from './upload-transitions.js'
import { sniffUploadBytes, Utf8Stream } from './utf8-text-check.js'

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
}

/** Carries row errors out of the data transaction (which they roll back). */
class RowErrors extends Error {
  readonly errors: readonly UploadRowError[]
  constructor(errors: readonly UploadRowError[]) {
    super('invalid rows')
    this.errors = errors
  }
}

function positiveInt(value: number | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback
  if (!(Number.isSafeInteger(value) && value > 0) && value !== Number.POSITIVE_INFINITY) {
    throw new ValidationError({ [name]: ['Must be a positive integer.'] })
  }
  return value
}

function checkFilename(filename: unknown): string {
  if (typeof filename !== 'string' || filename.trim() === '') throw new ValidationError({ filename: ['This field is required.'] })
  if (filename.length > 255) throw new ValidationError({ filename: ['Ensure this field has no more than 255 characters.'] })
  if (filename.includes('\0')) throw new ValidationError({ filename: ['Null characters are not allowed.'] })
  return filename
}

/**
 * The body's chunks, at most `maxBytes`, each checked to be UTF-8 before the parser sees it
 * (csv-parse would turn a bad byte into U+FFFD silently): a bad byte fails the upload with
 * a row error naming its line.
 */
async function* limitedChunks(first: Buffer, source: ByteSource, maxBytes: number): AsyncGenerator<Buffer> {
  let chunk: Buffer | undefined = first
  let total = 0
  const utf8 = new Utf8Stream()
  while (chunk) {
    total += chunk.length
    if (total > maxBytes) throw new PayloadTooLargeError(maxBytes)
    const bad = utf8.push(chunk)
    if (bad) throw new RowErrors([{ line: bad.line, column: null, message: bad.message }])
    yield chunk
    try {
      chunk = await source.next()
    } catch (error) {
      throw new UploadBodyError({ cause: error })
    }
  }
  const bad = utf8.end()
  if (bad) throw new RowErrors([{ line: bad.line, column: null, message: bad.message }])
}

const SOCKET_ERRORS = new Set(['EPIPE', 'ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND'])

/**
 * A socket error of the database connection (a killed backend can surface as `write EPIPE`
 * on the COPY stream) as the library's `DatabaseUnavailableError`. Body errors never get
 * here raw: they are wrapped in `UploadBodyError` where the body is read.
 */
function classifyLoadError(error: unknown): unknown {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown; syscall?: unknown }) : undefined
  if (code && typeof code.syscall === 'string' && typeof code.code === 'string' && SOCKET_ERRORS.has(code.code)) {
    return new DatabaseUnavailableError({}, { cause: error })
  }
  return error
}

/**
 * Moves the upload to `failed`. The failure path must not fail on the data that caused the
 * failure: the message is made storable by `markUploadFailed`; should the update still fail
 * (the database itself gone), a plain message is tried once more, and if that fails too its
 * error is thrown (classified: `DatabaseUnavailableError`, HTTP 503), leaving the upload to
 * the sweep of abandoned uploads ({@link failAbandonedUploads}).
 */
async function recordFailure(tenant: ClaimsTenantScope, id: number, message: string): Promise<Upload> {
  try {
    return await markUploadFailed(tenant, id, message)
  } catch {
    try {
      return await markUploadFailed(tenant, id, 'The load failed; nothing was loaded.')
    } catch (error) {
      throw toDatabaseError(error)
    }
  }
}

function failureMessage(error: unknown): string {
  if (error instanceof RowErrors) {
    const first = error.errors[0]
    const where = first ? ` First error: line ${first.line}${first.column ? `, ${first.column}` : ''}: ${first.message}` : ''
    return `The file has invalid rows; nothing was loaded.${where}`
  }
  if (error instanceof DatabaseUnavailableError) return 'The database connection was lost during the load; nothing was loaded.'
  if (error instanceof UpstreamError) return `${error.message} Nothing was loaded.`
  if (error instanceof Error && error.name === 'AbortError') return 'The upload was cancelled; nothing was loaded.'
  return 'The load failed unexpectedly; nothing was loaded.'
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
    const chunks = limitedChunks(first, source, maxBytes)

    const load = async (repos: ClaimsTenantContext, sink: (repos: ClaimsTenantContext) => StagingSink): Promise<Upload> => {
      // held until this transaction ends: the sweep of abandoned uploads skips this one
      await lockUploadForLoad(repos, id)
      await createStagingTable(repos.db)
      const staging = sink(repos)
      let outcome
      try {
        outcome = await parseClaimsCsv(chunks, staging, {
          maxErrors,
          maxRows,
          onRows: onProgress,
          progressEvery: PROGRESS_EVERY_ROWS,
          signal: input.signal,
          tooManyRows: () => new TooManyRowsError(maxRows),
        })
      } catch (error) {
        await staging.abort(error)
        throw error
      }
      await staging.finish()
      if (!outcome.header) throw new EmptyUploadError()
      let errors = outcome.errors
      if (outcome.validRows > 1 && !errors.some((e) => e.line === 1)) {
        const duplicates = await findDuplicateClaimNumbers(repos.db, maxErrors)
        if (duplicates.length > 0) errors = [...errors, ...duplicates].sort((a, b) => a.line - b.line).slice(0, maxErrors)
      }
      if (errors.length > 0) throw new RowErrors(errors)
      if (outcome.rows === 0) throw new RowErrors([{ line: 1, column: null, message: 'The file has a header row but no data rows.' }])
      const inserted = await insertStagedClaims(repos.db, tenant.upstream.schema, repos.customerId, id)
      const done = await markUploadSucceeded(repos, id, inserted)
      if (recording) span.setAttributes({ [TRACE_ATTRIBUTES.uploadRows]: outcome.rows, [TRACE_ATTRIBUTES.uploadStatus]: done.status })
      onProgress(outcome.rows)
      return done
    }

    try {
      const viaCopy = await withDedicatedConnection(tenant.upstream, async ({ upstream: pinned, client }) => {
        const ignore = () => undefined // a killed backend also surfaces as the query's error
        client.on('error', ignore)
        if (recording) span.setAttribute(TRACE_ATTRIBUTES.uploadLoader, 'copy')
        try {
          return await claimsTenant(pinned, tenant.customerId).transaction((repos) => load(repos, () => new CopyStagingSink(client, id)), {
            maxAttempts: 1,
          })
        } finally {
          client.off('error', ignore)
        }
      })
      if (viaCopy) return viaCopy
      if (recording) span.setAttribute(TRACE_ATTRIBUTES.uploadLoader, 'insert')
      return await tenant.transaction((repos) => load(repos, (r) => new InsertStagingSink(r.db)), { maxAttempts: 1 })
    } catch (caught) {
      const error = classifyLoadError(caught)
      const failed = await recordFailure(tenant, id, failureMessage(error))
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
