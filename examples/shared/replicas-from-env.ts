import type { Logger } from 'pino'
import { createRedisLsnStore, type CreateDatabaseOptions } from '@upstreamjs/upstream/db'

/**
 * Read replicas from the environment: `DATABASE_REPLICA_URLS` (comma-separated streaming
 * replicas of `DATABASE_URL`); tenant reads go there, with read-your-writes. With `REDIS_URL`,
 * tenants' write positions are shared in Redis under `UPSTREAM_REDIS_PREFIX` (default `upstream:`)
 * + `lsn:`, so read-your-writes holds across instances (the worker too: `openWorkerDatabase`);
 * a position Redis refuses is logged (`onWritePositionLost`). `close` ends the Redis client.
 *
 * @example
 * ```ts
 * // DATABASE_REPLICA_URLS=postgres://app@replica-1/claims,postgres://app@replica-2/claims
 * const { options, close } = await replicasFromEnv(process.env, logger)
 * const upstream = await openDatabase(process.env.DATABASE_URL, undefined, options)
 * ```
 */
export async function replicasFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  logger?: Logger,
): Promise<{ options: Pick<CreateDatabaseOptions, 'replicas' | 'replicaRouting'>; close: () => Promise<void> }> {
  const replicas = (env.DATABASE_REPLICA_URLS ?? '')
    .split(',')
    .map((url) => url.trim())
    .filter((url) => url.length > 0)
  if (replicas.length === 0) return { options: {}, close: async () => {} }
  const onReplicaSkipped: NonNullable<CreateDatabaseOptions['replicaRouting']>['onReplicaSkipped'] = (skip) =>
    logger?.warn({ reason: skip.reason, replica: skip.replica, requiredLsn: skip.requiredLsn, replayedLsn: skip.replayedLsn }, 'a read went to the primary instead of a replica')
  if (!env.REDIS_URL) return { options: { replicas, replicaRouting: { onReplicaSkipped } }, close: async () => {} }
  const { Redis } = await import('ioredis')
  const redis = new Redis(env.REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2000 })
  redis.on('error', (error: Error) => logger?.warn({ err: error }, 'redis connection error'))
  const lsnStore = createRedisLsnStore(redis, { prefix: `${env.UPSTREAM_REDIS_PREFIX || 'upstream:'}lsn:` })
  const onWritePositionLost: NonNullable<CreateDatabaseOptions['replicaRouting']>['onWritePositionLost'] = (lost) =>
    logger?.warn({ stage: lost.stage, customerId: lost.customerId, lsn: lost.lsn, err: lost.error }, 'a write position was not shared: other instances may read this tenant stale from a replica until its next write')
  return { options: { replicas, replicaRouting: { lsnStore, onReplicaSkipped, onWritePositionLost } }, close: async () => void (await redis.quit().catch(() => undefined)) }
}
