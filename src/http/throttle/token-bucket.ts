/**
 * The size and refill rate of a token bucket.
 *
 * @example
 * ```ts
 * const limit: TokenBucketLimit = { capacity: 60, refillPerSecond: 1 } // bursts of 60, 1 per second sustained
 * ```
 */
export interface TokenBucketLimit {
  /** The most requests in a burst (the bucket's size). */
  readonly capacity: number
  /** Tokens added per second (the sustained request rate). */
  readonly refillPerSecond: number
}

/**
 * A bucket's state: tokens left at a moment.
 *
 * @example
 * ```ts
 * const { state } = takeToken(undefined, { capacity: 5, refillPerSecond: 1 }, Date.now())
 * ```
 */
export interface TokenBucketState {
  /** Tokens left (fractional). */
  readonly tokens: number
  /** When `tokens` was computed, in milliseconds since the epoch. */
  readonly updatedAtMs: number
}

/**
 * The answer of a throttle for one request.
 *
 * @example
 * ```ts
 * const decision = await store.take('key:1', limit)
 * if (!decision.allowed) throw new ThrottledError(decision.retryAfterSeconds)
 * ```
 */
export interface ThrottleDecision {
  /** Whether the request may proceed. */
  readonly allowed: boolean
  /** Seconds until one token is available again (0 when allowed). */
  readonly retryAfterSeconds: number
  /** Whole tokens left after this request. */
  readonly remaining: number
  /**
   * Seconds until the bucket is full again (`capacity` tokens), for `RateLimit-Reset`.
   * Optional for stores written before it: the core then derives it from `remaining`.
   */
  readonly resetSeconds?: number
}

/**
 * Takes one token from a bucket (a pure function: the stores keep the state).
 * A missing state is a full bucket.
 *
 * @example
 * ```ts
 * const limit = { capacity: 2, refillPerSecond: 1 }
 * let { state, decision } = takeToken(undefined, limit, 0) // allowed, 1 left
 * ;({ state, decision } = takeToken(state, limit, 0))       // allowed, 0 left
 * ;({ decision } = takeToken(state, limit, 0))              // refused, retry after 1 s
 * ```
 */
export function takeToken(
  state: TokenBucketState | undefined,
  limit: TokenBucketLimit,
  nowMs: number,
): { state: TokenBucketState; decision: ThrottleDecision } {
  const elapsed = state ? Math.max(0, nowMs - state.updatedAtMs) : 0
  const tokens = Math.min(limit.capacity, (state?.tokens ?? limit.capacity) + (elapsed / 1000) * limit.refillPerSecond)
  if (tokens >= 1) {
    const left = tokens - 1
    return {
      state: { tokens: left, updatedAtMs: nowMs },
      decision: { allowed: true, retryAfterSeconds: 0, remaining: Math.floor(left), resetSeconds: (limit.capacity - left) / limit.refillPerSecond },
    }
  }
  return {
    state: { tokens, updatedAtMs: nowMs },
    decision: {
      allowed: false,
      retryAfterSeconds: (1 - tokens) / limit.refillPerSecond,
      remaining: 0,
      resetSeconds: (limit.capacity - tokens) / limit.refillPerSecond,
    },
  }
}

/**
 * Checks a limit's numbers: a capacity of at least 1 and a positive refill rate.
 *
 * @example
 * ```ts
 * assertTokenBucketLimit({ capacity: 60, refillPerSecond: 1 })
 * ```
 */
export function assertTokenBucketLimit(limit: TokenBucketLimit): TokenBucketLimit {
  if (!(Number.isFinite(limit.capacity) && limit.capacity >= 1)) throw new RangeError('throttle capacity must be a number >= 1')
  if (!(Number.isFinite(limit.refillPerSecond) && limit.refillPerSecond > 0)) throw new RangeError('throttle refillPerSecond must be > 0')
  return limit
}
