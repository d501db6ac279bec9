import type { Logger } from 'pino'
import type { ClaimsDatabase } from '@upstreamjs/upstream/claims'
import { type UpstreamDatabase, createDatabase } from '@upstreamjs/upstream/db'
import { applicationDatabaseOptions, type DeploymentConfig } from '../shared/deployment-config.js'
import { replicasFromEnv } from '../shared/replicas-from-env.js'

/**
 * The example worker's database: the primary at `DATABASE_URL` (pool of `poolSize` unless
 * `DATABASE_POOL_SIZE`), and, with `DATABASE_REPLICA_URLS`, the same replica routing as the
 * example servers (`replicasFromEnv`): with `REDIS_URL` the commit position of every tenant
 * write a job commits (an upload's load and its status changes, a drift run) is raised in the
 * shared Redis LSN store under `UPSTREAM_REDIS_PREFIX`, so a server instance reading that
 * tenant from a replica waits for (or skips) a replica that has not replayed the job's work.
 * Give the worker the same three variables as the servers. `close` destroys the pools and
 * ends the Redis client.
 *
 * @example
 * ```ts
 * const { upstream, close } = await openWorkerDatabase(readDeploymentConfig(process.env), process.env, logger, 3)
 * await runJobWorker({ upstream, tasks: claimsJobTasks(upstream) })
 * await close()
 * ```
 */
export async function openWorkerDatabase(
  deployment: Pick<DeploymentConfig, 'databaseUrl' | 'poolSize' | 'replicaUrls'>,
  env: NodeJS.ProcessEnv,
  logger: Logger | undefined,
  poolSize: number,
  schema?: string,
): Promise<{ upstream: UpstreamDatabase<ClaimsDatabase>; close: () => Promise<void> }> {
  const replicas = await replicasFromEnv(env, logger)
  try {
    const upstream = await createDatabase<ClaimsDatabase>({ ...replicas.options, ...applicationDatabaseOptions(deployment, poolSize), ...(schema ? { schema } : {}) })
    return {
      upstream,
      close: async () => {
        await upstream.destroy()
        await replicas.close()
      },
    }
  } catch (error) {
    await replicas.close()
    throw error
  }
}
