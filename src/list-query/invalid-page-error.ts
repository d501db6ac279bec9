import type { ErrorBody } from '../errors/index.js'
import { NotFoundError } from '../errors/index.js'

/**
 * A well-formed page number past the end of the list (the HTTP API guide, docs/http-api.md): HTTP 404 with
 * `{"detail": "Invalid page."}`. Page 1 of an empty list is never an error.
 *
 * @example
 * ```ts
 * try { await listClaims(tenant, { page: '999' }, { url }) } catch (e) { if (e instanceof InvalidPageError) res.status(404).json({ detail: e.message }) }
 * ```
 */
export class InvalidPageError extends NotFoundError {
  /** The page asked for. */
  readonly page: number
  override responseBody(): ErrorBody {
    return { detail: 'Invalid page.' }
  }
  constructor(page: number, options?: { cause?: unknown }) {
    super('page', page, { ...options, message: 'Invalid page.' })
    this.page = page
  }
}
