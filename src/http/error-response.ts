import { UpstreamError, toDatabaseError } from '../errors/index.js'
import type { HttpLogger } from './http-logger.js'
import { jsonResponse, type HttpResponse } from './http-response.js'
import type { JsonValue } from './json-value.js'

/**
 * Turns any error into its HTTP answer by asking the error: an {@link UpstreamError} knows
 * its `status`, body and headers (a `pg` error is first classified by `toDatabaseError`).
 * Anything else is logged with its stack and answered 500 `{"detail": "A server error
 * occurred."}`, so no stack, SQL or SQLSTATE ever reaches a client. Server-side failures
 * (5xx) are logged: 503s at `warn`, others at `error`.
 *
 * @example
 * ```ts
 * try { return await work() } catch (error) { return errorResponse(error, logger) }
 * ```
 */
export function errorResponse(error: unknown, logger: HttpLogger): HttpResponse {
  const e = toDatabaseError(error)
  if (e instanceof UpstreamError) {
    if (e.status === 503) logger.warn({ err: e, code: e.code }, 'database unavailable or retries exhausted')
    else if (e.status >= 500) logger.error({ err: e, code: e.code }, 'server error')
    return jsonResponse(e.status, e.responseBody() as JsonValue, e.responseHeaders())
  }
  logger.error({ err: e }, 'unhandled error')
  return jsonResponse(500, { detail: 'A server error occurred.' })
}
