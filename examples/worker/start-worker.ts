import { pino, type Logger } from 'pino'
import { type ClaimsDatabase, claimsJobTasks, claimsMigrations } from '@upstreamjs/upstream/claims'
import { type UpstreamDatabase, createDatabase, migrateToLatest } from '@upstreamjs/upstream/db'
import { type JobWorker, migrateJobQueue, runJobWorker } from '@upstreamjs/upstream/jobs'
import { readDeploymentConfig } from '../shared/deployment-config.js'
import { exampleJobs } from '../shared/example-jobs.js'
import { openWorkerDatabase } from './open-worker-database.js'

function positive(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name]
  if (raw === undefined || raw === '') return undefined
  const n = Number(raw)
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, not ${JSON.stringify(raw)}`)
  return n
}

/**
 * A running example worker.
 *
 * @example
 * ```ts
 * const running = await startWorker(process.env)
 * await running.stop()
 * ```
 */
export interface RunningWorker {
  readonly worker: JobWorker
  readonly upstream: UpstreamDatabase<ClaimsDatabase>
  readonly logger: Logger
  /** Stops taking jobs, finishes or releases the running ones, closes the pools. Idempotent. */
  stop(): Promise<void>
}

/**
 * Starts the example worker from the environment (the deployment variables of the example
 * servers, read by `readDeploymentConfig`): `DATABASE_URL` (required: jobs need PostgreSQL),
 * `DATABASE_MIGRATION_URL` (a direct connection for migrations and the queue's LISTEN, when
 * `DATABASE_URL` is PgBouncer), `DATABASE_REPLICA_URLS`, `REDIS_URL` and `UPSTREAM_REDIS_PREFIX`
 * (as the servers': the jobs' tenant writes are recorded in the shared LSN store, see
 * `openWorkerDatabase`), `DATABASE_POOL_SIZE` (default two per concurrent job, plus one),
 * `UPSTREAM_SCHEMA`, `WORKER_CONCURRENCY` (default 1),
 * `WORKER_SHUTDOWN_TIMEOUT_MS` (default 20 s), `WORKER_HEARTBEAT_MS` (10 s),
 * `WORKER_STALE_AFTER_MS` (60 s), `WORKER_POLL_INTERVAL_MS` (2 s), `DRIFT_AFTER_UPLOAD`,
 * `DRIFT_DELAY_MS`, `LOG_LEVEL`. Migrates the schema and the job queue first.
 *
 * @example
 * ```ts
 * // DATABASE_URL=postgres://app@db/claims WORKER_CONCURRENCY=2 npm run worker
 * const running = await startWorker(process.env)
 * ```
 */
export async function startWorker(env: NodeJS.ProcessEnv = process.env, logger: Logger = pino({ name: 'upstream-worker', level: env.LOG_LEVEL || 'info' })): Promise<RunningWorker> {
  const deployment = readDeploymentConfig(env)
  const databaseUrl = deployment.databaseUrl
  if (!databaseUrl) throw new Error('DATABASE_URL is required: background jobs need PostgreSQL (the embedded PGlite demo has no worker).')
  const migrationUrl = deployment.migrationUrl ?? databaseUrl
  const schema = env.UPSTREAM_SCHEMA || undefined
  const concurrency = positive(env, 'WORKER_CONCURRENCY') ?? 1
  // a load holds one connection, and reads its stored body on another: two per job, plus one.
  // With replicas (and REDIS_URL), the jobs' tenant writes are recorded in the shared LSN store,
  // so a server reading from a replica sees a finished ingestion (read-your-writes).
  const { upstream, close } = await openWorkerDatabase(deployment, env, logger, 2 * concurrency + 1, schema)
  try {
    // migrations (the schema's and the queue's) on the direct connection when there is one
    const direct = migrationUrl === databaseUrl ? undefined : await createDatabase<ClaimsDatabase>({ connectionString: migrationUrl, ...(schema ? { schema } : {}), pool: { max: 1 } })
    try {
      await migrateToLatest(direct ?? upstream, { sets: [claimsMigrations] })
      await migrateJobQueue(direct ?? upstream, { logger })
    } finally {
      await direct?.destroy()
    }
    const worker = await runJobWorker({
      upstream,
      tasks: claimsJobTasks(upstream, exampleJobs(logger, env)),
      concurrency,
      queueConnectionString: migrationUrl,
      pollIntervalMs: positive(env, 'WORKER_POLL_INTERVAL_MS'),
      heartbeatIntervalMs: positive(env, 'WORKER_HEARTBEAT_MS'),
      staleAfterMs: positive(env, 'WORKER_STALE_AFTER_MS'),
      shutdownTimeoutMs: positive(env, 'WORKER_SHUTDOWN_TIMEOUT_MS'),
      migrate: false,
      logger,
    })
    logger.info({ poolId: worker.id, workers: worker.workerIds(), concurrency, schema: upstream.schema }, 'worker started')
    let stopping: Promise<void> | undefined
    const stop = () =>
      (stopping ??= (async () => {
        await worker.stop()
        await close()
        logger.info('worker stopped')
      })())
    return { worker, upstream, logger, stop }
  } catch (error) {
    await close()
    throw error
  }
}
