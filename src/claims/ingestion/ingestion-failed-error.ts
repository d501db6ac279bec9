import type { Upload } from '../core/index.js'
import { UpstreamError, type ErrorBody } from '../../errors/index.js'
import { presentUpload } from '../presenters/index.js'
import type { UploadRowError } from './upload-row-error.js'

/**
 * The file had invalid rows (or duplicate claim numbers), so nothing was loaded: the upload
 * ended `failed`. Carries the failed upload row and the first row errors in line order
 * (at most `maxErrors`, 100 by default). The HTTP layer answers 422 with
 * `{"detail", "upload", "errors"}`.
 *
 * @example
 * ```ts
 * try {
 *   await ingestUpload(tenant, { filename: 'claims.csv', body })
 * } catch (e) {
 *   if (e instanceof IngestionFailedError) console.log(e.upload.status, e.errors[0]) // 'failed' { line: 3, column: 'billed_amount', ... }
 * }
 * ```
 */
export class IngestionFailedError extends UpstreamError {
  readonly code = 'ingestion_failed'
  /** The upload as stored: status `failed`, `error_message` and both processing timestamps set. */
  readonly upload: Upload
  /** The first row errors, in file order. */
  readonly errors: readonly UploadRowError[]
  override readonly status = 422
  override responseBody(): ErrorBody {
    return {
      detail: this.message,
      upload: presentUpload(this.upload),
      errors: this.errors.map((r) => ({ line: r.line, column: r.column ?? null, message: r.message })),
    }
  }
  constructor(upload: Upload, errors: readonly UploadRowError[], options?: { cause?: unknown }) {
    super(upload.error_message ?? `The upload has ${errors.length} invalid row(s); nothing was loaded.`, options)
    this.upload = upload
    this.errors = Object.freeze([...errors])
  }
}
