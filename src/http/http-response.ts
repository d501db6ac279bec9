import type { Readable } from 'node:stream'
import type { JsonValue } from './json-value.js'

/**
 * What the core answers: a status, headers (lower-case names) and a body.
 * With `content-type: application/json` the body is a {@link JsonValue} to serialize
 * (see {@link serializeBody}); otherwise a string, bytes or a stream (the docs page).
 *
 * @example
 * ```ts
 * const response = await handle(request)
 * res.writeHead(response.status, response.headers).end(serializeBody(response))
 * ```
 */
export interface HttpResponse {
  /** The HTTP status. */
  readonly status: number
  /** Response headers, lower-case names. Always has `content-type` when there is a body. */
  readonly headers: Readonly<Record<string, string>>
  /** The body: a JSON value for JSON responses, else text, bytes or a stream; `undefined` for none. */
  readonly body: JsonValue | Uint8Array | Readable | undefined
  /** The matched route template (`/api/v1/uploads/{id}/`), for metrics and logs; absent when no route matched. */
  readonly route?: string
}

/**
 * The content type of every JSON response.
 *
 * @example
 * ```ts
 * res.setHeader('content-type', JSON_CONTENT_TYPE)
 * ```
 */
export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8'

/**
 * A JSON response, with `X-Content-Type-Options: nosniff` (a browser never reads it as
 * anything but JSON).
 *
 * @example
 * ```ts
 * jsonResponse(404, { detail: 'Not found.' })
 * ```
 */
export function jsonResponse(status: number, body: JsonValue, headers: Readonly<Record<string, string>> = {}): HttpResponse {
  return { status, headers: { 'content-type': JSON_CONTENT_TYPE, 'x-content-type-options': 'nosniff', ...headers }, body }
}
