/**
 * A count kept for one list, scope and set of filters, valid while the scope's data version is
 * still `version` (every committed write bumps it; see `docs/list-queries.md`).
 *
 * @example
 * ```ts
 * const entry: CachedCount = { version: '42', count: 100_000, estimated: false }
 * ```
 */
export interface CachedCount {
  readonly version: string
  readonly count: number
  readonly estimated: boolean
}

/**
 * Where counts are kept between requests. Memory ({@link createMemoryCountCache}) or Redis
 * ({@link createRedisCountCache}); anything with these two methods works.
 *
 * @example
 * ```ts
 * const cache: CountCache = createMemoryCountCache({ maxEntries: 1000 })
 * ```
 */
export interface CountCache {
  get(key: string): Promise<CachedCount | undefined> | CachedCount | undefined
  set(key: string, value: CachedCount): Promise<void> | void
}

/**
 * A count cache in this process's memory: least-recently-used eviction past `maxEntries`
 * (default 10,000), optional `ttlMs`.
 *
 * @example
 * ```ts
 * const countCache = createMemoryCountCache({ maxEntries: 5000 })
 * await listClaims(tenant, req.query, { url, countCache })
 * ```
 */
export function createMemoryCountCache(options: { maxEntries?: number; ttlMs?: number } = {}): CountCache {
  const max = options.maxEntries ?? 10_000
  const entries = new Map<string, { value: CachedCount; at: number }>()
  return Object.freeze({
    get(key: string) {
      const hit = entries.get(key)
      if (!hit) return undefined
      if (options.ttlMs !== undefined && Date.now() - hit.at > options.ttlMs) {
        entries.delete(key)
        return undefined
      }
      entries.delete(key)
      entries.set(key, hit)
      return hit.value
    },
    set(key: string, value: CachedCount) {
      entries.delete(key)
      entries.set(key, { value, at: Date.now() })
      while (entries.size > max) entries.delete(entries.keys().next().value as string)
    },
  })
}

/**
 * The part of an `ioredis` (or `node-redis` v4 legacy) client the Redis count cache uses.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis'
 * const client: RedisCountClient = new Redis('redis://127.0.0.1:6379')
 * ```
 */
export interface RedisCountClient {
  get(key: string): Promise<string | null>
  set(key: string, value: string, mode: 'EX', seconds: number): Promise<unknown>
}

/**
 * Options of {@link createRedisCountCache}.
 *
 * @example
 * ```ts
 * const options: RedisCountCacheOptions = { namespace: 'billing-prod:', ttlSeconds: 600, timeoutMs: 50, onError: (e) => logger.warn({ err: e }, 'count cache down') }
 * ```
 */
export interface RedisCountCacheOptions {
  /**
   * The deployment's namespace on a Redis shared with others (the examples read it from
   * `UPSTREAM_REDIS_PREFIX`): keys are `<namespace>count:<key>`. Default `upstream:`.
   */
  readonly namespace?: string
  /** The whole key prefix, instead of `<namespace>count:`. */
  readonly prefix?: string
  /** Expiry of an entry, in seconds. Default 3600. */
  readonly ttlSeconds?: number
  /** How long one call waits for Redis, in ms. Default 200. */
  readonly timeoutMs?: number
  /** After a failure, Redis is not asked again for this long (ms). Default 1000. */
  readonly cooldownMs?: number
  /** Told of a failure (at most once per cooldown). Default: nothing. Never throw here. */
  readonly onError?: (error: unknown) => void
}

function nonNegative(value: number | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${name} must be a non-negative number`)
  return value
}

/**
 * A count cache in Redis, shared by every instance of a service: one key per list, scope and
 * filters (`<namespace>count:<key>`, namespace `upstream:` by default), expiring after `ttlSeconds` (default 3600). Versions make entries
 * exact; the TTL only bounds memory.
 *
 * It always fails open: Redis down or slower than `timeoutMs` (200 ms) is a cache miss (the
 * count is computed by PostgreSQL) and a skipped write, never a failed or hung request; for
 * `cooldownMs` (1 s) after a failure Redis is not asked at all. Configure the client to give
 * up too (ioredis: `enableOfflineQueue: false`, `maxRetriesPerRequest: 1`).
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis'
 * const countCache = createRedisCountCache(new Redis('redis://127.0.0.1:6379', { enableOfflineQueue: false }), { namespace: 'billing-prod:' })
 * ```
 */
export function createRedisCountCache(client: RedisCountClient, options: RedisCountCacheOptions = {}): CountCache {
  const namespace = options.namespace ?? 'upstream:'
  if (typeof namespace !== 'string' || namespace.length === 0 || namespace.length > 200 || /[\s\p{Cc}]/u.test(namespace)) {
    throw new RangeError('A Redis namespace must be 1 to 200 characters without whitespace (e.g. "billing-prod:")')
  }
  const prefix = options.prefix ?? `${namespace}count:`
  const ttl = options.ttlSeconds ?? 3600
  const timeoutMs = nonNegative(options.timeoutMs, 'timeoutMs', 200)
  const cooldownMs = nonNegative(options.cooldownMs, 'cooldownMs', 1000)
  const onError = options.onError ?? (() => undefined)
  let downUntil = 0
  /** Runs one Redis call within the timeout; `undefined` when Redis is down, slow or cooling down. */
  const guarded = async <T>(call: () => Promise<T>): Promise<T | undefined> => {
    if (Date.now() < downUntil) return undefined
    let timer: NodeJS.Timeout | undefined
    try {
      return await Promise.race([
        call(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`Redis did not answer within ${timeoutMs} ms.`)), timeoutMs)
        }),
      ])
    } catch (error) {
      downUntil = Date.now() + cooldownMs
      try {
        onError(error)
      } catch {
        // a logger that throws must not fail the request
      }
      return undefined
    } finally {
      clearTimeout(timer)
    }
  }
  return Object.freeze({
    async get(key: string) {
      const raw = await guarded(() => client.get(prefix + key))
      if (raw === null || raw === undefined) return undefined
      try {
        const v = JSON.parse(raw) as Partial<CachedCount>
        return typeof v.version === 'string' && typeof v.count === 'number' && typeof v.estimated === 'boolean' ? (v as CachedCount) : undefined
      } catch {
        return undefined
      }
    },
    async set(key: string, value: CachedCount) {
      await guarded(() => client.set(prefix + key, JSON.stringify(value), 'EX', ttl))
    },
  })
}
