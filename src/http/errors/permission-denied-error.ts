import { UpstreamError, type ErrorBody } from '../../errors/index.js'

/**
 * The principal may not perform the operation (a read-only key on a POST):
 * 403 `{"detail": "You do not have permission to perform this action."}`.
 *
 * @example
 * ```ts
 * if (!principal.scopes.includes('write')) throw new PermissionDeniedError()
 * ```
 */
export class PermissionDeniedError extends UpstreamError {
  readonly code = 'permission_denied'
  override readonly status = 403
  override responseBody(): ErrorBody {
    return { detail: this.message }
  }
  constructor(options?: { cause?: unknown }) {
    super('You do not have permission to perform this action.', options)
  }
}
