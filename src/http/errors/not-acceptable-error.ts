import { UpstreamError, type ErrorBody } from '../../errors/index.js'

/**
 * The response format asked for is one this operation cannot answer (a list without an
 * export asked for `format=csv`): 406 `{"detail": "..."}`.
 *
 * @example
 * ```ts
 * throw new NotAcceptableError('csv', ['json'])
 * ```
 */
export class NotAcceptableError extends UpstreamError {
  readonly code = 'not_acceptable'
  override readonly status = 406
  override responseBody(): ErrorBody {
    return { detail: this.message }
  }
  /** The format asked for. */
  readonly format: string
  /** The formats this operation answers. */
  readonly available: readonly string[]
  constructor(format: string, available: readonly string[], options?: { cause?: unknown }) {
    super(`This operation cannot answer format "${format}"; it answers: ${available.join(', ')}.`, options)
    this.format = format
    this.available = Object.freeze([...available])
  }
}
