import type { Principal } from '../principal.js'
import type { ThrottleStore } from './throttle-store.js'
import type { TokenBucketLimit } from './token-bucket.js'

/**
 * Per-key throttling (off unless given): a token bucket of `capacity` requests refilled
 * at `refillPerSecond`, kept in `store` (memory by default), keyed by the principal's
 * API key (`key:<id>`, else `customer:<id>`).
 *
 * @example
 * ```ts
 * createHttpHandler({ upstream, throttle: { capacity: 100, refillPerSecond: 10 } })
 * ```
 */
export interface ThrottleOptions extends TokenBucketLimit {
  /** Where buckets live. Default: a new {@link MemoryThrottleStore}. */
  readonly store?: ThrottleStore
  /** The bucket of a principal. Default `key:<keyId>`, else `customer:<customerId>`. */
  readonly key?: (principal: Principal) => string
}
