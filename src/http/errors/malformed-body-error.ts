import { UpstreamError, type ErrorBody } from '../../errors/index.js'

/**
 * A body that does not parse (invalid JSON, invalid UTF-8): 400 `{"detail": "JSON parse error - ..."}`
 * as Django REST Framework words it.
 *
 * @example
 * ```ts
 * throw new MalformedBodyError('JSON parse error - Unexpected end of JSON input')
 * ```
 */
export class MalformedBodyError extends UpstreamError {
  readonly code = 'parse_error'
  override readonly status = 400
  override responseBody(): ErrorBody {
    return { detail: this.message }
  }
}
