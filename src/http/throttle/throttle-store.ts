import type { ThrottleDecision, TokenBucketLimit } from './token-bucket.js'

/**
 * Where token buckets live: in memory for one process ({@link MemoryThrottleStore}),
 * in Redis for many ({@link RedisThrottleStore}), or your own.
 *
 * @example
 * ```ts
 * const decision = await store.take('key:12', { capacity: 60, refillPerSecond: 1 })
 * if (!decision.allowed) throw new ThrottledError(decision.retryAfterSeconds)
 * ```
 */
export interface ThrottleStore {
  /** Takes one token from the bucket named `key`. */
  take(key: string, limit: TokenBucketLimit): Promise<ThrottleDecision>
}
