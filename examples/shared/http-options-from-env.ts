import type { Logger } from 'pino'
import type { Redis } from 'ioredis'
import type { ClaimsHttpHandlerOptions } from '@upstreamjs/upstream/claims'
import { RedisThrottleStore } from '@upstreamjs/upstream/http'
import { createRedisCountCache } from '@upstreamjs/upstream/list-query'
import { readDeploymentConfig } from './deployment-config.js'

/** The core options an example server reads from its environment. */
export type EnvHttpOptions = Pick<ClaimsHttpHandlerOptions, 'throttle' | 'maxUploadBytes' | 'maxJsonBodyBytes' | 'cursorSecret' | 'publicBaseUrl' | 'allowedHosts' | 'countCache'>

function positive(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name]
  if (raw === undefined || raw === '') return undefined
  const n = Number(raw)
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, not ${JSON.stringify(raw)}`)
  return n
}

/**
 * Core options from the environment, for the example servers (the deployment variables
 * through {@link readDeploymentConfig}, which throws a `DeploymentConfigError` naming a bad one):
 * - `REDIS_URL`: one Redis (ioredis) shared by every instance, under the namespace
 *   `UPSTREAM_REDIS_PREFIX` (default `upstream:`): list counts are cached there
 *   (`<prefix>count:...`, else in this process's memory) and throttle buckets live there
 *   (`<prefix>throttle:...`), so deployments sharing a Redis never share a bucket or a count;
 * - `THROTTLE_CAPACITY` and `THROTTLE_REFILL_PER_SECOND`: per-key throttling (off unless both are set);
 *   with `REDIS_URL` the buckets live in Redis, else in memory. Redis down or slow
 *   never hangs a request: the client gives up at once when disconnected, the store after
 *   `THROTTLE_REDIS_TIMEOUT_MS` (default 200), and the request then fails open (let through)
 *   unless `THROTTLE_FAIL_MODE=closed` (503);
 * - `MAX_UPLOAD_BYTES` (default 100 MiB), `MAX_JSON_BODY_BYTES` (default 1 MiB);
 * - `UPSTREAM_CURSOR_SECRET`: comma-separated secrets of list cursors (give every instance the
 *   same): the first signs, every one verifies, so a secret rotates without breaking the
 *   cursors clients hold (`new,old`, later `new`);
 * - `PUBLIC_BASE_URL` (`https://api.example.com`): the origin of `next`/`previous` links, so
 *   the request's `Host` is never echoed; `ALLOWED_HOSTS` (`api.example.com,.example.com`,
 *   Django's rules): another `Host` answers 400. Without either, links echo any well-formed
 *   `Host`: set one of them in production.
 *
 * @example
 * ```ts
 * // THROTTLE_CAPACITY=60 THROTTLE_REFILL_PER_SECOND=1 REDIS_URL=redis://127.0.0.1:6379 npm run example:koa
 * const http = await httpOptionsFromEnv(process.env, logger)
 * ```
 */
export async function httpOptionsFromEnv(env: NodeJS.ProcessEnv = process.env, logger?: Logger): Promise<EnvHttpOptions> {
  const deployment = readDeploymentConfig(env)
  const capacity = positive(env, 'THROTTLE_CAPACITY')
  const refillPerSecond = positive(env, 'THROTTLE_REFILL_PER_SECOND')
  const maxUploadBytes = positive(env, 'MAX_UPLOAD_BYTES')
  const maxJsonBodyBytes = positive(env, 'MAX_JSON_BODY_BYTES')
  const failMode = env.THROTTLE_FAIL_MODE || 'open'
  if (failMode !== 'open' && failMode !== 'closed') throw new Error(`THROTTLE_FAIL_MODE must be open or closed, not ${JSON.stringify(failMode)}`)
  let redis: Redis | undefined
  if (deployment.redisUrl) {
    const { Redis: RedisClient } = await import('ioredis')
    // fail fast while Redis is away: no offline queue, one try per command, short connect
    redis = new RedisClient(deployment.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2000 })
    redis.on('error', (error: Error) => logger?.warn({ err: error }, 'redis connection error'))
  }
  const countCache = redis
    ? createRedisCountCache(redis, { namespace: deployment.redisPrefix, onError: (error) => logger?.warn({ err: error }, 'count cache unavailable: counting in PostgreSQL') })
    : undefined
  let throttle: EnvHttpOptions['throttle']
  if (capacity !== undefined && refillPerSecond !== undefined) {
    if (redis) {
      const store = new RedisThrottleStore(redis, {
        namespace: deployment.redisPrefix,
        timeoutMs: positive(env, 'THROTTLE_REDIS_TIMEOUT_MS') ?? 200,
        failMode,
        onError: (error) => logger?.warn({ err: error, failMode }, 'throttle store unavailable'),
      })
      throttle = { capacity, refillPerSecond, store }
    } else {
      throttle = { capacity, refillPerSecond }
    }
  }
  const publicBaseUrl = deployment.publicBaseUrl
  const allowedHosts = env.ALLOWED_HOSTS ? env.ALLOWED_HOSTS.split(',').map((h) => h.trim()).filter((h) => h.length > 0) : undefined
  return {
    ...(publicBaseUrl ? { publicBaseUrl } : {}),
    ...(allowedHosts && allowedHosts.length > 0 ? { allowedHosts } : {}),
    ...(throttle ? { throttle } : {}),
    ...(maxUploadBytes ? { maxUploadBytes } : {}),
    ...(maxJsonBodyBytes ? { maxJsonBodyBytes } : {}),
    ...(countCache ? { countCache } : {}),
    ...(deployment.cursorSecrets.length > 0 ? { cursorSecret: deployment.cursorSecrets } : {}),
  }
}
