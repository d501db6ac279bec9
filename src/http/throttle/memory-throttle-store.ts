import type { ThrottleStore } from './throttle-store.js'
import { takeToken, type ThrottleDecision, type TokenBucketLimit, type TokenBucketState } from './token-bucket.js'

/**
 * Token buckets in a `Map` of this process: the default. Buckets that have refilled are
 * dropped when the map grows past `maxKeys`, so memory stays bounded. With several
 * server processes, each has its own buckets: use {@link RedisThrottleStore} there.
 *
 * @example
 * ```ts
 * const store = new MemoryThrottleStore()
 * await store.take('key:1', { capacity: 10, refillPerSecond: 5 })
 * ```
 */
export class MemoryThrottleStore implements ThrottleStore {
  readonly #buckets = new Map<string, TokenBucketState>()
  readonly #maxKeys: number
  readonly #now: () => number

  constructor(options: { maxKeys?: number; now?: () => number } = {}) {
    this.#maxKeys = options.maxKeys ?? 100_000
    this.#now = options.now ?? Date.now
  }

  async take(key: string, limit: TokenBucketLimit): Promise<ThrottleDecision> {
    const now = this.#now()
    const { state, decision } = takeToken(this.#buckets.get(key), limit, now)
    this.#buckets.delete(key)
    this.#buckets.set(key, state)
    if (this.#buckets.size > this.#maxKeys) this.#evict(limit, now)
    return decision
  }

  #evict(limit: TokenBucketLimit, now: number): void {
    for (const [key, state] of this.#buckets) {
      if (this.#buckets.size <= this.#maxKeys) return
      const full = state.tokens + ((now - state.updatedAtMs) / 1000) * limit.refillPerSecond >= limit.capacity
      if (full) this.#buckets.delete(key)
    }
    // still too many (all busy): drop the least recently used
    for (const key of this.#buckets.keys()) {
      if (this.#buckets.size <= this.#maxKeys) return
      this.#buckets.delete(key)
    }
  }
}
