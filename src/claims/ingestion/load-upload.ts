import type { Span } from '@opentelemetry/api'
import { withDedicatedConnection } from '../../db/index.js'
import { DatabaseUnavailableError, toDatabaseError, UpstreamError, ValidationError } from '../../errors/index.js'
import { TRACE_ATTRIBUTES } from '../../tracing/index.js'
import { claimsTenant, type ClaimsTenantContext, type ClaimsTenantScope, type Upload } from '../core/index.js'
import { CopyStagingSink } from './copy-staging-sink.js'
import { EmptyUploadError } from './empty-upload-error.js'
import { InsertStagingSink } from './insert-staging-sink.js'
import { parseClaimsCsv } from './parse-claims-csv.js'
import { PayloadTooLargeError } from './payload-too-large-error.js'
import { createStagingTable, findDuplicateClaimNumbers, insertStagedClaims } from './staging-table.js'
import type { StagingSink } from './staging-sink.js'
import { TooManyRowsError } from './too-many-rows-error.js'
import type { ByteSource } from './upload-body.js'
import { UploadBodyError } from './upload-body-error.js'
import type { UploadRowError } from './upload-row-error.js'
import { lockUploadForLoad, markUploadFailed, markUploadSucceeded } from './upload-transitions.js'
import { Utf8Stream } from './utf8-text-check.js'

/**
 * Work to run inside an upload's data transaction, after its claims are inserted and it is
 * marked `success`: whatever it writes commits with the claims, or not at all (a job that
 * acts on the new rows, for instance). Throwing rolls the whole load back.
 *
 * @example
 * ```ts
 * const afterLoad: AfterLoad = async ({ db }, upload) => {
 *   await db.insertInto('audit').values({ upload_id: upload.id, rows: upload.row_count }).execute()
 * }
 * await ingestUpload(tenant, { filename, body, afterLoad })
 * ```
 */
export type AfterLoad = (context: ClaimsTenantContext, upload: Upload) => Promise<void>

/** Carries row errors out of the data transaction (which they roll back). Internal. */
export class RowErrors extends Error {
  readonly errors: readonly UploadRowError[]
  constructor(errors: readonly UploadRowError[]) {
    super('invalid rows')
    this.errors = errors
  }
}

/** A positive integer option, or its default. Internal. */
export function positiveInt(value: number | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback
  if (!(Number.isSafeInteger(value) && value > 0) && value !== Number.POSITIVE_INFINITY) {
    throw new ValidationError({ [name]: ['Must be a positive integer.'] })
  }
  return value
}

/** A valid upload file name, or a {@link ValidationError}. Internal. */
export function checkFilename(filename: unknown): string {
  if (typeof filename !== 'string' || filename.trim() === '') throw new ValidationError({ filename: ['This field is required.'] })
  if (filename.length > 255) throw new ValidationError({ filename: ['Ensure this field has no more than 255 characters.'] })
  if (filename.includes('\0')) throw new ValidationError({ filename: ['Null characters are not allowed.'] })
  return filename
}

/**
 * The body's chunks, at most `maxBytes`, each checked to be UTF-8 before the parser sees it
 * (csv-parse would turn a bad byte into U+FFFD silently): a bad byte fails the upload with
 * a row error naming its line. Internal.
 */
export async function* limitedChunks(first: Buffer, source: ByteSource, maxBytes: number): AsyncGenerator<Buffer> {
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
 * here raw: they are wrapped in `UploadBodyError` where the body is read. Internal.
 */
export function classifyLoadError(error: unknown): unknown {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown; syscall?: unknown }) : undefined
  if (code && typeof code.syscall === 'string' && typeof code.code === 'string' && SOCKET_ERRORS.has(code.code)) {
    return new DatabaseUnavailableError({}, { cause: error })
  }
  return error
}

/**
 * Whether a load failure is the file's fault (bad rows, a byte that is not UTF-8, too large,
 * too many rows, empty): the upload ends `failed` for good. Any other failure (the database,
 * a crash, a shutdown) says nothing about the file. Internal.
 */
export function isFileFailure(error: unknown): boolean {
  return error instanceof RowErrors || error instanceof PayloadTooLargeError || error instanceof TooManyRowsError || error instanceof EmptyUploadError
}

/** The `error_message` stored for a failed load: never SQL or a SQLSTATE. Internal. */
export function failureMessage(error: unknown): string {
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
 * Moves the upload to `failed` with the failure's message and row errors (and `also`, in the
 * same transaction). The failure path must not fail on the data that caused the failure: the
 * message is made storable by `markUploadFailed`; should the update still fail (the database
 * itself gone), a plain message is tried once more, and if that fails too its error is thrown
 * (classified: `DatabaseUnavailableError`, HTTP 503), leaving the upload to the sweep of
 * abandoned uploads ({@link failAbandonedUploads}) or, for a stored upload, to its job's retry.
 * Internal.
 */
export async function recordFailure(
  tenant: ClaimsTenantScope,
  id: number,
  error: unknown,
  also?: (context: ClaimsTenantContext) => Promise<void>,
): Promise<Upload> {
  try {
    return await markUploadFailed(tenant, id, failureMessage(error), error instanceof RowErrors ? error.errors : [], also)
  } catch {
    try {
      return await markUploadFailed(tenant, id, 'The load failed; nothing was loaded.', [], also)
    } catch (second) {
      throw toDatabaseError(second)
    }
  }
}

/** What {@link loadUpload} takes (defaults applied by its callers). Internal. */
export interface LoadUploadOptions {
  readonly maxRows: number
  readonly maxErrors: number
  readonly progressEvery: number
  readonly onProgress: (rows: number) => void
  readonly signal: AbortSignal | undefined
  readonly afterLoad: AfterLoad | undefined
  /** The `ingest upload` span, when it records. */
  readonly span: Span | undefined
}

/**
 * The data transaction of an upload already `processing` (see docs/ingestion.md): on one
 * dedicated connection as the tenant, the upload's row locked for the whole load
 * (`lockUploadForLoad`), a TEMP staging table, `COPY ... FROM STDIN` of the parsed and
 * validated rows, the duplicate check, one `INSERT ... SELECT` into `claim_records`, the
 * upload `success`, `afterLoad`, commit. PGlite fills the staging table with batched inserts
 * instead. Throws the raw failure (row errors as {@link RowErrors}); recording it is the
 * caller's decision. Internal.
 */
export async function loadUpload(tenant: ClaimsTenantScope, uploadId: number, chunks: AsyncIterable<Buffer>, options: LoadUploadOptions): Promise<Upload> {
  const { span } = options
  const load = async (repos: ClaimsTenantContext, sink: (repos: ClaimsTenantContext) => StagingSink): Promise<Upload> => {
    // held until this transaction ends: the sweep of abandoned uploads skips this one, and a
    // second attempt at the same upload waits here (or, NOWAIT, fails fast) instead of loading too
    await lockUploadForLoad(repos, uploadId)
    await createStagingTable(repos.db)
    const staging = sink(repos)
    let outcome
    try {
      outcome = await parseClaimsCsv(chunks, staging, {
        maxErrors: options.maxErrors,
        maxRows: options.maxRows,
        onRows: options.onProgress,
        progressEvery: options.progressEvery,
        signal: options.signal,
        tooManyRows: () => new TooManyRowsError(options.maxRows),
      })
    } catch (error) {
      await staging.abort(error)
      throw error
    }
    await staging.finish()
    if (!outcome.header) throw new EmptyUploadError()
    let errors = outcome.errors
    if (outcome.validRows > 1 && !errors.some((e) => e.line === 1)) {
      const duplicates = await findDuplicateClaimNumbers(repos.db, options.maxErrors)
      if (duplicates.length > 0) errors = [...errors, ...duplicates].sort((a, b) => a.line - b.line).slice(0, options.maxErrors)
    }
    if (errors.length > 0) throw new RowErrors(errors)
    if (outcome.rows === 0) throw new RowErrors([{ line: 1, column: null, message: 'The file has a header row but no data rows.' }])
    const inserted = await insertStagedClaims(repos.db, tenant.upstream.schema, repos.customerId, uploadId)
    const done = await markUploadSucceeded(repos, uploadId, inserted)
    await options.afterLoad?.(repos, done)
    span?.setAttributes({ [TRACE_ATTRIBUTES.uploadRows]: outcome.rows, [TRACE_ATTRIBUTES.uploadStatus]: done.status })
    options.onProgress(outcome.rows)
    return done
  }

  try {
    const viaCopy = await withDedicatedConnection(tenant.upstream, async ({ upstream: pinned, client }) => {
      const ignore = () => undefined // a killed backend also surfaces as the query's error
      client.on('error', ignore)
      span?.setAttribute(TRACE_ATTRIBUTES.uploadLoader, 'copy')
      try {
        return await claimsTenant(pinned, tenant.customerId).transaction((repos) => load(repos, () => new CopyStagingSink(client, uploadId)), {
          maxAttempts: 1,
        })
      } finally {
        client.off('error', ignore)
      }
      // COPY, the `on commit drop` staging table and the load are one transaction: no session state
    }, { scope: 'transaction' })
    if (viaCopy) return viaCopy
    span?.setAttribute(TRACE_ATTRIBUTES.uploadLoader, 'insert')
    return await tenant.transaction((repos) => load(repos, (r) => new InsertStagingSink(r.db)), { maxAttempts: 1 })
  } catch (error) {
    throw classifyLoadError(error)
  }
}
