import { UpstreamError, type ErrorBody } from '../../errors/index.js'

/**
 * No credentials came with the request (no `Authorization` header): 401
 * `{"detail": "Authentication credentials were not provided."}` with `WWW-Authenticate: Bearer`.
 *
 * @example
 * ```ts
 * if (!header) throw new NotAuthenticatedError()
 * ```
 */
export class NotAuthenticatedError extends UpstreamError {
  readonly code = 'not_authenticated'
  override readonly status = 401
  override responseBody(): ErrorBody {
    return { detail: this.message }
  }
  override responseHeaders(): Readonly<Record<string, string>> {
    return { 'www-authenticate': 'Bearer' }
  }
  constructor(options?: { cause?: unknown }) {
    super('Authentication credentials were not provided.', options)
  }
}
