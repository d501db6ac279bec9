import { UpstreamError, type ErrorBody } from '../../errors/index.js'

/**
 * A request body above the operation's limit: 413 `{"detail": "Request body too large (limit N bytes)."}`.
 *
 * @example
 * ```ts
 * if (received > limit) throw new RequestBodyTooLargeError(limit)
 * ```
 */
export class RequestBodyTooLargeError extends UpstreamError {
  readonly code = 'payload_too_large'
  override readonly status = 413
  /** The rest of the body is not read: the connection closes after this answer. */
  override responseHeaders(): Readonly<Record<string, string>> {
    return { connection: 'close' }
  }
  override responseBody(): ErrorBody {
    return { detail: this.message }
  }
  /** The limit, in bytes. */
  readonly limitBytes: number
  constructor(limitBytes: number, options?: { cause?: unknown }) {
    super(`Request body too large (limit ${limitBytes} bytes).`, options)
    this.limitBytes = limitBytes
  }
}
