import type { Upload } from '../core/index.js'
import { UpstreamError, type ErrorBody } from '../../errors/index.js'

/**
 * The body went past `maxBytes` (100 MiB by default). Reading stopped at the limit: the rest
 * of the body was not read, and nothing was loaded. The upload ended `failed`. The HTTP layer
 * answers 413.
 *
 * @example
 * ```ts
 * try { await ingestUpload(tenant, { filename, body, maxBytes: 1 << 20 }) }
 * catch (e) { if (e instanceof PayloadTooLargeError) console.log(e.maxBytes, e.upload?.status) }
 * ```
 */
export class PayloadTooLargeError extends UpstreamError {
  readonly code = 'payload_too_large'
  override readonly status = 413
  /** The rest of the body is not read: the connection closes after this answer. */
  override responseHeaders(): Readonly<Record<string, string>> {
    return { connection: 'close' }
  }
  override responseBody(): ErrorBody {
    return { detail: this.message }
  }
  /** The limit that was exceeded, in bytes. */
  readonly maxBytes: number
  /** The failed upload, once it is recorded. */
  readonly upload: Upload | undefined
  constructor(maxBytes: number, upload?: Upload, options?: { cause?: unknown }) {
    super(`The upload is larger than ${maxBytes} bytes.`, options)
    this.maxBytes = maxBytes
    this.upload = upload
  }

  /** The same failure, with the upload row it ended. */
  withUpload(upload: Upload): PayloadTooLargeError {
    return new PayloadTooLargeError(this.maxBytes, upload, { cause: this.cause })
  }
}
