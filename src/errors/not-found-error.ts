import { UpstreamError, type ErrorBody } from './upstream-error.js'

/**
 * A row that does not exist, or that belongs to another tenant: the two are
 * indistinguishable on purpose.
 *
 * @example
 * ```ts
 * throw new NotFoundError('uploads', 42)
 * ```
 */
export class NotFoundError extends UpstreamError {
  readonly code = 'not_found'
  override readonly status = 404
  override responseBody(): ErrorBody {
    return { detail: 'Not found.' }
  }
  /** The table (or resource) looked in. */
  readonly resource: string
  /** The id looked for. */
  readonly id: number | string | undefined
  constructor(resource: string, id?: number | string, options?: { cause?: unknown; message?: string }) {
    super(options?.message ?? `No ${resource} row matches the given id.`, options)
    this.resource = resource
    this.id = id
  }
}
