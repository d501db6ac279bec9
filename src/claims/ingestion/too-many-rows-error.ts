import type { Upload } from '../core/index.js'
import { UpstreamError, type ErrorBody } from '../../errors/index.js'

/**
 * The file has more data rows than `maxRows`. Reading stopped at the limit and nothing was
 * loaded; the upload ended `failed`. The HTTP layer answers 413.
 *
 * @example
 * ```ts
 * try { await ingestUpload(tenant, { filename, body, maxRows: 10_000 }) }
 * catch (e) { if (e instanceof TooManyRowsError) console.log(e.maxRows) }
 * ```
 */
export class TooManyRowsError extends UpstreamError {
  readonly code = 'too_many_rows'
  override readonly status = 413
  /** The rest of the body is not read: the connection closes after this answer. */
  override responseHeaders(): Readonly<Record<string, string>> {
    return { connection: 'close' }
  }
  override responseBody(): ErrorBody {
    return { detail: this.message }
  }
  /** The limit that was exceeded. */
  readonly maxRows: number
  /** The failed upload, once it is recorded. */
  readonly upload: Upload | undefined
  constructor(maxRows: number, upload?: Upload, options?: { cause?: unknown }) {
    super(`The upload has more than ${maxRows} rows.`, options)
    this.maxRows = maxRows
    this.upload = upload
  }

  /** The same failure, with the upload row it ended. */
  withUpload(upload: Upload): TooManyRowsError {
    return new TooManyRowsError(this.maxRows, upload, { cause: this.cause })
  }
}
