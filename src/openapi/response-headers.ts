/**
 * Documented response headers by name (as an operation's `responses[status].headers`).
 *
 * @example
 * ```ts
 * const headers: ResponseHeaderDocs = { ETag: { description: 'The tag.', schema: { type: 'string' } } }
 * ```
 */
export type ResponseHeaderDocs = Readonly<Record<string, { readonly description: string; readonly schema: Readonly<Record<string, unknown>> }>>

/**
 * The rate-limit fields of a throttled response (draft-ietf-httpapi-ratelimit-headers-06:
 * three separate integer fields), documented on every response of a tenant operation.
 *
 * @example
 * ```ts
 * responses['200'] = { description: 'One page.', headers: RATE_LIMIT_RESPONSE_HEADERS }
 * ```
 */
export const RATE_LIMIT_RESPONSE_HEADERS: ResponseHeaderDocs = Object.freeze({
  'RateLimit-Limit': {
    description:
      'When the server throttles: requests allowed in a burst (the token bucket\'s capacity). draft-ietf-httpapi-ratelimit-headers-06.',
    schema: { type: 'integer', minimum: 0 },
  },
  'RateLimit-Remaining': {
    description: 'When the server throttles: requests left in the burst after this one. draft-ietf-httpapi-ratelimit-headers-06.',
    schema: { type: 'integer', minimum: 0 },
  },
  'RateLimit-Reset': {
    description:
      'When the server throttles: seconds until `RateLimit-Remaining` is back to `RateLimit-Limit` (one request comes back every `1/rate` seconds before that). draft-ietf-httpapi-ratelimit-headers-06.',
    schema: { type: 'integer', minimum: 0 },
  },
})

/**
 * The headers of a conditional GET's 200 and 304: its weak `ETag` and `Cache-Control`.
 *
 * @example
 * ```ts
 * responses['304'] = { description: 'Not modified.', headers: CONDITIONAL_RESPONSE_HEADERS }
 * ```
 */
export const CONDITIONAL_RESPONSE_HEADERS: ResponseHeaderDocs = Object.freeze({
  ETag: {
    description:
      'A weak tag of this answer: it changes with every committed write of the tenant, and differs by query, `Accept` and the key\'s scopes. Send it back in `If-None-Match`.',
    schema: { type: 'string' },
  },
  'Cache-Control': { description: 'Always `private, no-cache`: revalidate each time; never in a shared cache.', schema: { type: 'string' } },
})
