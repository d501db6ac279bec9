import { randomUUID } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'

const SAFE_ID = /^[\w.:-]{1,128}$/

/**
 * The request id of a request: the client's `X-Request-Id` when it is a sane token, else a new UUID.
 *
 * @example
 * ```ts
 * requestIdOf({ 'x-request-id': 'abc-1' }) // 'abc-1'
 * ```
 */
export function requestIdOf(headers: IncomingHttpHeaders): string {
  const given = headers['x-request-id']
  return typeof given === 'string' && SAFE_ID.test(given) ? given : randomUUID()
}
