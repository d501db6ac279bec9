import type { ThrottleStore } from './throttle-store.js'
import type { ThrottleDecision, TokenBucketLimit } from './token-bucket.js'

/**
 * The part of an ioredis client the Redis store uses (`new Redis()` fits as is).
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis'
 * const client: RedisEvalClient = new Redis('redis://127.0.0.1:6379')
 * ```
 */
export interface RedisEvalClient {
  eval(script: string, numKeys: number, ...args: (string | number)[]): Promise<unknown>
}

/** Atomic token bucket on Redis's own clock (one hash per key, expiring once refilled). */
const TOKEN_BUCKET_SCRIPT = `
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2]) / 1000
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local b = redis.call('HMGET', KEYS[1], 't', 'ts')
local tokens = tonumber(b[1])
local ts = tonumber(b[2])
if tokens == nil or ts == nil then tokens = capacity; ts = now end
tokens = math.min(capacity, tokens + math.max(0, now - ts) * rate)
local allowed = 0
local wait = 0
if tokens >= 1 then tokens = tokens - 1; allowed = 1 else wait = (1 - tokens) / rate end
redis.call('HSET', KEYS[1], 't', tostring(tokens), 'ts', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil((capacity - tokens) / rate) + 1000)
return {allowed, tostring(wait / 1000), tostring(math.floor(tokens))}
`

/**
 * Token buckets in Redis, shared by every server process: one atomic Lua script per
 * request, on Redis's clock (so server clocks may differ). Keys are prefixed
 * (`upstream:throttle:` by default) and expire once their bucket has refilled.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis'
 * const store = new RedisThrottleStore(new Redis('redis://127.0.0.1:6379'))
 * createHttpHandler({ upstream, throttle: { capacity: 60, refillPerSecond: 1, store } })
 * ```
 */
export class RedisThrottleStore implements ThrottleStore {
  readonly #client: RedisEvalClient
  readonly #prefix: string

  constructor(client: RedisEvalClient, options: { prefix?: string } = {}) {
    this.#client = client
    this.#prefix = options.prefix ?? 'upstream:throttle:'
  }

  async take(key: string, limit: TokenBucketLimit): Promise<ThrottleDecision> {
    const reply = await this.#client.eval(TOKEN_BUCKET_SCRIPT, 1, this.#prefix + key, limit.capacity, limit.refillPerSecond)
    if (!Array.isArray(reply) || reply.length !== 3) throw new Error('Unexpected reply from the Redis throttle script.')
    const [allowed, wait, remaining] = reply as [unknown, unknown, unknown]
    return { allowed: Number(allowed) === 1, retryAfterSeconds: Number(wait), remaining: Number(remaining) }
  }
}
