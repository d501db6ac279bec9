import { UpstreamError, type ErrorBody } from '../../errors/index.js'

/**
 * The body's content type is not one the operation reads (CSV uploads need `text/csv`,
 * drift runs `application/json`): 415 `{"detail": "Unsupported media type \"x\" in request."}`.
 *
 * @example
 * ```ts
 * throw new UnsupportedMediaTypeError('text/plain')
 * ```
 */
export class UnsupportedMediaTypeError extends UpstreamError {
  readonly code = 'unsupported_media_type'
  override readonly status = 415
  override responseBody(): ErrorBody {
    return { detail: this.message }
  }
  /** The content type received (empty when none was sent). */
  readonly mediaType: string
  constructor(mediaType: string, options?: { cause?: unknown }) {
    super(`Unsupported media type "${mediaType}" in request.`, options)
    this.mediaType = mediaType
  }
}
