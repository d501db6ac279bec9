import { createHash } from 'node:crypto'
import { headerValue } from '../media-type.js'
import type { HttpRequest } from '../http-request.js'
import type { Principal } from '../principal.js'

/**
 * `Cache-Control` of every response that carries an `ETag`: a browser may keep it but must
 * revalidate each time, and a shared cache never serves one tenant's page to another.
 *
 * @example
 * ```ts
 * response.headers['cache-control'] === CONDITIONAL_CACHE_CONTROL // 'private, no-cache'
 * ```
 */
export const CONDITIONAL_CACHE_CONTROL = 'private, no-cache'

/**
 * The query string with its parameters sorted by name (the values of one name keep their
 * order, which may matter), so `?a=1&b=2` and `?b=2&a=1` share a tag.
 */
function normalizedQuery(query: URLSearchParams): string {
  const names = query.keys()
  names.next()
  if (names.next().done) return query.toString() // one parameter or none: sorted already, no copy
  const sorted = new URLSearchParams(query)
  sorted.sort() // stable: equal names keep their relative order
  return sorted.toString()
}

/** The URL without its query: origin and path (links in a page are built on the origin). */
function resource(request: HttpRequest): string {
  const q = request.url.indexOf('?')
  return q === -1 ? request.url : request.url.slice(0, q)
}

/**
 * The weak entity tag of a GET: a hash of the data versions it was read against, the tenant,
 * the caller's scopes (sorted), the operation, the URL's origin and path, the normalized
 * query and the `Accept` header. A committed write of the tenant changes a version, so the tag.
 *
 * @example
 * ```ts
 * entityTagOf({ operationId: 'claims_list', request, principal, versions: ['42'] }) // 'W/"q0dA..."'
 * ```
 */
export function entityTagOf(input: {
  readonly operationId: string
  readonly request: HttpRequest
  readonly principal: Principal
  readonly versions: readonly string[]
}): string {
  const { request, principal } = input
  const hash = createHash('sha256')
    .update(
      JSON.stringify([
        input.versions,
        principal.customerId,
        [...principal.scopes].sort(),
        input.operationId,
        resource(request),
        normalizedQuery(request.query),
        headerValue(request.headers.accept) ?? '',
      ]),
    )
    .digest('base64url')
    .slice(0, 27)
  return `W/"${hash}"`
}

const TAG = /(?:W\/)?"([^"]*)"/g

/**
 * Whether an `If-None-Match` header names `tag`, by weak comparison (RFC 9110 13.1.2:
 * `W/` ignored). `*` is not taken as a match: the core cannot know before running the
 * operation whether the resource exists.
 *
 * @example
 * ```ts
 * ifNoneMatchIncludes('W/"abc", "def"', 'W/"def"') // true
 * ```
 */
export function ifNoneMatchIncludes(header: string | readonly string[] | undefined, tag: string): boolean {
  if (header === undefined) return false
  const opaque = tag.replace(/^W\//, '')
  const values = typeof header === 'string' ? [header] : header
  for (const value of values) {
    for (const match of value.matchAll(TAG)) if (`"${match[1]}"` === opaque) return true
  }
  return false
}
