import { ThrottleUnavailableError } from '../errors/throttle-unavailable-error.js'
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

/**
 * Options of {@link RedisThrottleStore}.
 *
 * @example
 * ```ts
 * const options: RedisThrottleStoreOptions = { namespace: 'billing-prod:', timeoutMs: 100, failMode: 'closed', onError: (e) => logger.warn({ err: e }, 'throttle store down') }
 * ```
 */
export interface RedisThrottleStoreOptions {
  /**
   * The deployment's namespace on a Redis shared with others (the examples read it from
   * `UPSTREAM_REDIS_PREFIX`): keys are `<namespace>throttle:<bucket>`, so two deployments with
   * different namespaces never share a bucket. Default `upstream:` (keys `upstream:throttle:key:12`).
   */
  readonly namespace?: string
  /** The whole key prefix, instead of `<namespace>throttle:` (for keys laid out otherwise). */
  readonly prefix?: string
  /** How long one request waits for Redis, in ms. Default 200. */
  readonly timeoutMs?: number
  /**
   * What a request gets while Redis fails or is slower than `timeoutMs`: `open` (the
   * default) lets it through unmetered, so the API stays up; `closed` refuses it with
   * {@link ThrottleUnavailableError} (HTTP 503 + `Retry-After`).
   */
  readonly failMode?: 'open' | 'closed'
  /** After a failure, Redis is not asked again for this long (ms): requests get `failMode` at once. Default 1000. */
  readonly cooldownMs?: number
  /** Told of a failure (at most once per cooldown). Default: nothing. Never throw here. */
  readonly onError?: (error: unknown) => void
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
return {allowed, tostring(wait / 1000), tostring(math.floor(tokens)), tostring((capacity - tokens) / rate / 1000)}
`

/** A Redis key namespace: 1 to 200 characters, no whitespace or control characters. */
function redisNamespace(namespace: string | undefined): string {
  if (namespace === undefined) return 'upstream:'
  if (typeof namespace !== 'string' || namespace.length === 0 || namespace.length > 200 || /[\s\p{Cc}]/u.test(namespace)) {
    throw new RangeError('A Redis namespace must be 1 to 200 characters without whitespace (e.g. "billing-prod:")')
  }
  return namespace
}

function nonNegative(value: number | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${name} must be a non-negative number (ms)`)
  return value
}

/**
 * Token buckets in Redis, shared by every server process: one atomic Lua script per
 * request, on Redis's clock (so server clocks may differ). Keys are `<namespace>throttle:<bucket>`
 * (`upstream:throttle:key:12` by default: give each deployment sharing a Redis its own
 * `namespace`) and expire once their bucket has refilled.
 *
 * Redis down or slow never hangs a request: each call waits at most `timeoutMs` (200 ms),
 * then the request fails open (let through, as a full bucket would; the default) or closed
 * (503), and for `cooldownMs` (1 s) Redis is not asked at all. Configure the client to give
 * up too (ioredis: `enableOfflineQueue: false`, `maxRetriesPerRequest: 1`), or the commands
 * abandoned at the timeout wait in its offline queue until Redis returns.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis'
 * const redis = new Redis('redis://127.0.0.1:6379', { enableOfflineQueue: false, maxRetriesPerRequest: 1 })
 * const store = new RedisThrottleStore(redis, { namespace: 'billing-prod:', timeoutMs: 100, failMode: 'open' })
 * createHttpHandler({ upstream, throttle: { capacity: 60, refillPerSecond: 1, store } })
 * ```
 */
export class RedisThrottleStore implements ThrottleStore {
  readonly #client: RedisEvalClient
  readonly #prefix: string
  readonly #timeoutMs: number
  readonly #failOpen: boolean
  readonly #cooldownMs: number
  readonly #onError: (error: unknown) => void
  #downUntil = 0

  constructor(client: RedisEvalClient, options: RedisThrottleStoreOptions = {}) {
    this.#client = client
    this.#prefix = options.prefix ?? `${redisNamespace(options.namespace)}throttle:`
    this.#timeoutMs = nonNegative(options.timeoutMs, 'timeoutMs', 200)
    this.#cooldownMs = nonNegative(options.cooldownMs, 'cooldownMs', 1000)
    if (options.failMode !== undefined && options.failMode !== 'open' && options.failMode !== 'closed') throw new RangeError("failMode must be 'open' or 'closed'")
    this.#failOpen = options.failMode !== 'closed'
    this.#onError = options.onError ?? (() => undefined)
  }

  async take(key: string, limit: TokenBucketLimit): Promise<ThrottleDecision> {
    if (Date.now() < this.#downUntil) return this.#unavailable(limit)
    let timer: NodeJS.Timeout | undefined
    try {
      const reply = await Promise.race([
        this.#client.eval(TOKEN_BUCKET_SCRIPT, 1, this.#prefix + key, limit.capacity, limit.refillPerSecond),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`Redis did not answer within ${this.#timeoutMs} ms.`)), this.#timeoutMs)
        }),
      ])
      if (!Array.isArray(reply) || reply.length !== 4) throw new Error('Unexpected reply from the Redis throttle script.')
      const [allowed, wait, remaining, reset] = reply as [unknown, unknown, unknown, unknown]
      return { allowed: Number(allowed) === 1, retryAfterSeconds: Number(wait), remaining: Number(remaining), resetSeconds: Number(reset) }
    } catch (error) {
      this.#downUntil = Date.now() + this.#cooldownMs
      try {
        this.#onError(error)
      } catch {
        // a logger that throws must not fail the request
      }
      return this.#unavailable(limit, error)
    } finally {
      clearTimeout(timer)
    }
  }

  #unavailable(limit: TokenBucketLimit, cause?: unknown): ThrottleDecision {
    if (!this.#failOpen) throw new ThrottleUnavailableError(this.#cooldownMs / 1000, { cause })
    return { allowed: true, retryAfterSeconds: 0, remaining: Math.max(0, Math.floor(limit.capacity) - 1), resetSeconds: 1 / limit.refillPerSecond }
  }
}
