import { UpstreamError, type ErrorBody } from '../../errors/index.js'

/**
 * The throttle's store (Redis) failed or did not answer in time, and the store is set to
 * fail closed (`failMode: 'closed'`): the request is refused with 503 and `Retry-After`
 * rather than let through unmetered.
 *
 * @example
 * ```ts
 * const store = new RedisThrottleStore(redis, { failMode: 'closed' })
 * // Redis down: every throttled request answers 503 {"detail": "Service temporarily unavailable, try again later."}
 * ```
 */
export class ThrottleUnavailableError extends UpstreamError {
  readonly code = 'throttle_unavailable'
  override readonly status = 503
  override responseBody(): ErrorBody {
    return { detail: 'Service temporarily unavailable, try again later.' }
  }
  override responseHeaders(): Readonly<Record<string, string>> {
    return { 'retry-after': String(this.retryAfterSeconds) }
  }
  /** Whole seconds before the store is asked again (at least 1). */
  readonly retryAfterSeconds: number
  constructor(retryAfterSeconds: number, options?: { cause?: unknown }) {
    super('The throttle store is unavailable; the request was refused (fail closed).', options)
    this.retryAfterSeconds = Math.max(1, Math.ceil(retryAfterSeconds))
  }
}
