import { UpstreamError } from '../../errors/upstream-error.js'

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
  constructor(options?: { cause?: unknown }) {
    super('Authentication credentials were not provided.', options)
  }
}
