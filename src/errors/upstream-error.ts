/**
 * The JSON body of an error's HTTP answer: `{"detail": "..."}`, or DRF's per-field shape for
 * validation errors.
 *
 * @example
 * ```ts
 * const body: ErrorBody = { detail: 'Not found.' }
 * ```
 */
export type ErrorBody = Readonly<Record<string, unknown>>

/**
 * The base class of every error the library throws on purpose. `code` is stable and
 * machine-readable; `cause` keeps the underlying error (a `pg` error, a zod issue).
 *
 * Each error answers for itself over HTTP, as Hono's `HTTPException` does: `status`,
 * {@link UpstreamError.responseBody} and {@link UpstreamError.responseHeaders}. The HTTP core
 * asks the error; it keeps no mapping table. The default is a 500 with a fixed text, so a
 * class that does not choose never leaks its message (which may carry SQL).
 *
 * @example
 * ```ts
 * class QuotaExceededError extends UpstreamError {
 *   readonly code = 'quota_exceeded'
 *   override readonly status = 409
 *   override responseBody() { return { detail: 'The project has reached its task quota.' } }
 * }
 * ```
 */
export abstract class UpstreamError extends Error {
  /** A stable identifier of the failure, such as `not_found`. */
  abstract readonly code: string
  /** The HTTP status of this failure. Default 500. */
  readonly status: number = 500
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = new.target.name
  }
  /** The JSON body of the HTTP answer. Default `{"detail": "A server error occurred."}`: never the message. */
  responseBody(): ErrorBody {
    return { detail: 'A server error occurred.' }
  }
  /** Extra headers of the HTTP answer (`Retry-After`, `WWW-Authenticate`, `Allow`). Default none. */
  responseHeaders(): Readonly<Record<string, string>> {
    return {}
  }
}
