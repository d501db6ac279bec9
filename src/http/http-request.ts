import type { Readable } from 'node:stream'
import type { HttpLogger } from './http-logger.js'
import type { Principal } from './principal.js'

/**
 * A request as the framework-free core sees it: plain values any server can build
 * (see {@link fromNodeRequest} for `node:http`, Express and Koa).
 *
 * @example
 * ```ts
 * const request: HttpRequest = {
 *   method: 'GET',
 *   path: '/api/v1/claims/',
 *   query: new URLSearchParams('status=paid'),
 *   headers: { authorization: `Bearer ${token}` },
 *   body: null,
 *   url: 'http://localhost:3000/api/v1/claims/?status=paid',
 * }
 * ```
 */
export interface HttpRequest {
  /** `GET`, `POST`, ... (any case). */
  readonly method: string
  /** The path, with or without the base path (`/api/v1/claims/` or `/claims/`); no query string. */
  readonly path: string
  /** The query parameters (repeated keys kept). */
  readonly query: URLSearchParams
  /** Request headers; names in lower case (as `node:http` gives them). */
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>
  /** The body stream, or `null` when there is none. */
  readonly body: NodeJS.ReadableStream | Readable | null
  /** The absolute request URL (scheme, host, path and query), used for `next`/`previous` links. */
  readonly url: string
  /** A principal the app already authenticated; when set, the core's authenticator is skipped. */
  readonly principal?: Principal
  /** A per-request logger (for example pino-http's `req.log`); else the handler's logger. */
  readonly logger?: HttpLogger
  /**
   * Fires when the client goes away before its answer was sent ({@link fromNodeRequest} with
   * `response` makes one). Operations pass it on to their reads, lists and drift runs, whose
   * running statement is then cancelled in PostgreSQL; the handler answers 499, which
   * nobody reads, and logs no error.
   */
  readonly signal?: AbortSignal
}
