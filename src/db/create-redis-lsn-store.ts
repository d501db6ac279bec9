import type { ReplicaLsnStore } from './replica-routing-options.js'

/**
 * The part of an `ioredis` client the Redis LSN store uses.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis'
 * const client: RedisLsnClient = new Redis('redis://127.0.0.1:6379')
 * ```
 */
export interface RedisLsnClient {
  get(key: string): Promise<string | null>
  eval(script: string, numKeys: number, ...args: (string | number)[]): Promise<unknown>
}

/**
 * Options of {@link createRedisLsnStore}.
 *
 * @example
 * ```ts
 * const options: RedisLsnStoreOptions = { prefix: 'myapp:lsn:', ttlSeconds: 3600, timeoutMs: 100 }
 * ```
 */
export interface RedisLsnStoreOptions {
  /** Key prefix: give each deployment its own. Default `upstream:lsn:`. */
  readonly prefix?: string
  /** Expiry of a tenant's position, in seconds (a replica is far past it by then). Default 3600. */
  readonly ttlSeconds?: number
  /** How long one call waits for Redis, in ms; past it the call rejects (the read goes to the primary). Default 200. */
  readonly timeoutMs?: number
}

// Raises the stored position, never lowers it: writes of one tenant acknowledged by two
// instances may reach Redis out of order. Positions are decimal byte counts (exact below 2^53).
const RAISE = `local c = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) > c then redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2]) else redis.call('EXPIRE', KEYS[1], ARGV[2]) end
return 1`

async function within<T>(call: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  try {
    return await Promise.race([
      call,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`Redis did not answer within ${timeoutMs} ms.`)), timeoutMs)
      }),
    ])
  } finally {
    clearTimeout(timer)
  }
}

/**
 * A {@link ReplicaLsnStore} in Redis: one key per tenant (`prefix` + tenant key) holding the
 * highest commit position of its writes, so a read answered by any instance of a service sees
 * a write acknowledged by any other. A call Redis does not answer within `timeoutMs` rejects:
 * the read goes to the primary (always current), the write is acknowledged anyway.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis'
 * const redis = new Redis(process.env.REDIS_URL!, { enableOfflineQueue: false, maxRetriesPerRequest: 1 })
 * const upstream = await createDatabase({
 *   connectionString: process.env.DATABASE_URL,
 *   replicas: process.env.DATABASE_REPLICA_URLS?.split(','),
 *   replicaRouting: { lsnStore: createRedisLsnStore(redis, { prefix: 'myapp:lsn:' }) },
 * })
 * ```
 */
export function createRedisLsnStore(client: RedisLsnClient, options: RedisLsnStoreOptions = {}): ReplicaLsnStore {
  const prefix = options.prefix ?? 'upstream:lsn:'
  const ttl = options.ttlSeconds ?? 3600
  const timeoutMs = options.timeoutMs ?? 200
  if (!Number.isSafeInteger(ttl) || ttl < 1) throw new RangeError('ttlSeconds must be a positive integer')
  if (!Number.isFinite(timeoutMs) || timeoutMs < 0) throw new RangeError('timeoutMs must be a non-negative number')
  return Object.freeze({
    async get(tenantKey: string) {
      const raw = await within(client.get(prefix + tenantKey), timeoutMs)
      return raw === null || !/^\d+$/.test(raw) ? undefined : BigInt(raw)
    },
    async raise(tenantKey: string, lsn: bigint) {
      await within(client.eval(RAISE, 1, prefix + tenantKey, lsn.toString(), ttl), timeoutMs)
    },
  })
}
