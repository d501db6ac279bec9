import { UpstreamError, type ErrorBody } from '../../errors/index.js'

/**
 * Reading the upload body failed (the client went away, the stream errored). Nothing was
 * loaded and the upload ended `failed`; `cause` is the stream's error.
 *
 * @example
 * ```ts
 * if (e instanceof UploadBodyError) logger.info({ err: e.cause }, 'client aborted the upload')
 * ```
 */
export class UploadBodyError extends UpstreamError {
  readonly code = 'upload_body_error'
  override readonly status = 400
  override responseBody(): ErrorBody {
    return { detail: 'The request body could not be read.' }
  }
  constructor(options?: { cause?: unknown }) {
    super('The upload body could not be read.', options)
  }
}
