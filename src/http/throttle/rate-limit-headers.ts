import type { ThrottleDecision, TokenBucketLimit } from './token-bucket.js'

/**
 * The IETF draft whose fields {@link rateLimitHeaders} writes: draft-ietf-httpapi-ratelimit-headers-06
 * (December 2022), the last revision with three separate fields `RateLimit-Limit`,
 * `RateLimit-Remaining` and `RateLimit-Reset`, each a non-negative integer. Revision -07
 * (June 2023) and later replace them with a combined `RateLimit` field and `RateLimit-Policy`.
 *
 * @example
 * ```ts
 * RATE_LIMIT_HEADERS_DRAFT // 'draft-ietf-httpapi-ratelimit-headers-06'
 * ```
 */
export const RATE_LIMIT_HEADERS_DRAFT = 'draft-ietf-httpapi-ratelimit-headers-06'

/**
 * The rate-limit fields of a throttled response (draft-ietf-httpapi-ratelimit-headers-06, see
 * {@link RATE_LIMIT_HEADERS_DRAFT}), for a token bucket:
 * - `RateLimit-Limit`: the bucket's capacity (requests in a burst);
 * - `RateLimit-Remaining`: whole tokens left after this request;
 * - `RateLimit-Reset`: seconds (rounded up) until the bucket is full again, that is until
 *   `Remaining` is back to `Limit`. A token comes back every `1 / refillPerSecond` seconds
 *   before that; on a 429, `Retry-After` says when the next one does.
 *
 * @example
 * ```ts
 * rateLimitHeaders({ capacity: 60, refillPerSecond: 1 }, { allowed: true, retryAfterSeconds: 0, remaining: 59, resetSeconds: 1 })
 * // { 'ratelimit-limit': '60', 'ratelimit-remaining': '59', 'ratelimit-reset': '1' }
 * ```
 */
export function rateLimitHeaders(limit: TokenBucketLimit, decision: ThrottleDecision): Readonly<Record<string, string>> {
  const capacity = Math.floor(limit.capacity)
  const remaining = Math.min(capacity, Math.max(0, Math.floor(decision.remaining)))
  const reset = decision.resetSeconds ?? (capacity - remaining) / limit.refillPerSecond
  return {
    'ratelimit-limit': String(capacity),
    'ratelimit-remaining': String(remaining),
    'ratelimit-reset': String(Math.max(0, Math.ceil(Number.isFinite(reset) ? reset - 1e-9 : 0))),
  }
}
