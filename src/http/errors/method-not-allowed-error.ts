import { UpstreamError, type ErrorBody } from '../../errors/index.js'

/**
 * The path exists but not with this method: 405 `{"detail": "Method \"PUT\" not allowed."}`
 * with an `Allow` header.
 *
 * @example
 * ```ts
 * throw new MethodNotAllowedError('PUT', ['GET', 'POST'])
 * ```
 */
export class MethodNotAllowedError extends UpstreamError {
  readonly code = 'method_not_allowed'
  override readonly status = 405
  override responseBody(): ErrorBody {
    return { detail: this.message }
  }
  override responseHeaders(): Readonly<Record<string, string>> {
    return { allow: this.allowed.join(', ') }
  }
  /** The method that was refused. */
  readonly method: string
  /** The methods the path answers. */
  readonly allowed: readonly string[]
  constructor(method: string, allowed: readonly string[], options?: { cause?: unknown }) {
    super(`Method "${method}" not allowed.`, options)
    this.method = method
    this.allowed = Object.freeze([...allowed])
  }
}
