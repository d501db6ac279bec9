import { UpstreamError, type ErrorBody } from '../../errors/index.js'

/**
 * The principal ran out of request tokens: 429 with `Retry-After: <seconds>` and
 * `{"detail": "Request was throttled. Expected available in N seconds."}`.
 *
 * @example
 * ```ts
 * throw new ThrottledError(2)
 * ```
 */
export class ThrottledError extends UpstreamError {
  readonly code = 'throttled'
  override readonly status = 429
  override responseBody(): ErrorBody {
    return { detail: this.message }
  }
  override responseHeaders(): Readonly<Record<string, string>> {
    return { 'retry-after': String(this.retryAfterSeconds) }
  }
  /** Whole seconds until a request will be allowed again (at least 1). */
  readonly retryAfterSeconds: number
  constructor(retryAfterSeconds: number, options?: { cause?: unknown }) {
    const wait = Math.max(1, Math.ceil(retryAfterSeconds))
    super(`Request was throttled. Expected available in ${wait} second${wait === 1 ? '' : 's'}.`, options)
    this.retryAfterSeconds = wait
  }
}
