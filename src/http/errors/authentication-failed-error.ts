import { UpstreamError, type ErrorBody } from '../../errors/index.js'

/**
 * Credentials came but are no good: unknown or revoked token, `Bearer` alone, two tokens,
 * another scheme. 401 `{"detail": "Invalid token."}` with `WWW-Authenticate: Bearer`.
 * `reason` is for logs only.
 *
 * @example
 * ```ts
 * throw new AuthenticationFailedError('revoked or unknown token')
 * ```
 */
export class AuthenticationFailedError extends UpstreamError {
  readonly code = 'authentication_failed'
  override readonly status = 401
  override responseBody(): ErrorBody {
    return { detail: this.message }
  }
  override responseHeaders(): Readonly<Record<string, string>> {
    return { 'www-authenticate': 'Bearer' }
  }
  /** Why, for logs (never sent to the client). */
  readonly reason: string
  constructor(reason: string, options?: { cause?: unknown }) {
    super('Invalid token.', options)
    this.reason = reason
  }
}
