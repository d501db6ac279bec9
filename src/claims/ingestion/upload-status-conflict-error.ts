import { UpstreamError, type ErrorBody } from '../../errors/index.js'
import type { UploadStatus } from '../core/index.js'

/**
 * An upload was not in the status a transition starts from (statuses move
 * pending -> processing -> success | failed and nowhere else), or it vanished.
 * Someone else moved it first; the HTTP layer answers 409.
 *
 * @example
 * ```ts
 * if (e instanceof UploadStatusConflictError) console.log(e.uploadId, e.expected) // 12 'processing'
 * ```
 */
export class UploadStatusConflictError extends UpstreamError {
  readonly code = 'upload_status_conflict'
  override readonly status = 409
  override responseBody(): ErrorBody {
    return { detail: 'The resource is being changed by another request. Try again.' }
  }
  /** The upload. */
  readonly uploadId: number
  /** The status the transition needed. */
  readonly expected: UploadStatus
  constructor(uploadId: number, expected: UploadStatus, options?: { cause?: unknown }) {
    super(`Upload ${uploadId} is no longer ${expected}.`, options)
    this.uploadId = uploadId
    this.expected = expected
  }
}
