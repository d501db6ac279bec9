import type { ClaimsHttpHandlerOptions } from '@upstreamjs/upstream/claims'
import { RedisThrottleStore } from '@upstreamjs/upstream/http'

/** The core options an example server reads from its environment. */
export type EnvHttpOptions = Pick<ClaimsHttpHandlerOptions, 'throttle' | 'maxUploadBytes' | 'maxJsonBodyBytes' | 'cursorSecret'>

function positive(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name]
  if (raw === undefined || raw === '') return undefined
  const n = Number(raw)
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, not ${JSON.stringify(raw)}`)
  return n
}

/**
 * Core options from the environment, for the example servers:
 * - `THROTTLE_CAPACITY` and `THROTTLE_REFILL_PER_SECOND`: per-key throttling (off unless both are set);
 *   with `REDIS_URL` the buckets live in Redis (ioredis), else in memory;
 * - `MAX_UPLOAD_BYTES` (default 100 MiB), `MAX_JSON_BODY_BYTES` (default 1 MiB);
 * - `UPSTREAM_CURSOR_SECRET`: the secret that signs list cursors (give every instance the same).
 *
 * @example
 * ```ts
 * // THROTTLE_CAPACITY=60 THROTTLE_REFILL_PER_SECOND=1 REDIS_URL=redis://127.0.0.1:6379 npm run example:koa
 * const http = await httpOptionsFromEnv(process.env)
 * ```
 */
export async function httpOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<EnvHttpOptions> {
  const capacity = positive(env, 'THROTTLE_CAPACITY')
  const refillPerSecond = positive(env, 'THROTTLE_REFILL_PER_SECOND')
  const maxUploadBytes = positive(env, 'MAX_UPLOAD_BYTES')
  const maxJsonBodyBytes = positive(env, 'MAX_JSON_BODY_BYTES')
  let throttle: EnvHttpOptions['throttle']
  if (capacity !== undefined && refillPerSecond !== undefined) {
    if (env.REDIS_URL) {
      const { Redis } = await import('ioredis')
      throttle = { capacity, refillPerSecond, store: new RedisThrottleStore(new Redis(env.REDIS_URL)) }
    } else {
      throttle = { capacity, refillPerSecond }
    }
  }
  return {
    ...(throttle ? { throttle } : {}),
    ...(maxUploadBytes ? { maxUploadBytes } : {}),
    ...(maxJsonBodyBytes ? { maxJsonBodyBytes } : {}),
    ...(env.UPSTREAM_CURSOR_SECRET ? { cursorSecret: env.UPSTREAM_CURSOR_SECRET } : {}),
  }
}
