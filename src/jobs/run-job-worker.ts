import { EventEmitter } from 'node:events'
import type { TaskList, WorkerEvents, WorkerPool } from 'graphile-worker'
import { jobQueueSchemaName, type UpstreamDatabase } from '../db/index.js'
import { postgresPoolOf } from '../db/internal.js'
import { ValidationError } from '../errors/index.js'
import { JobQueueUnavailableError } from './job-queue-unavailable-error.js'
import { silentJobLogger, toGraphileLogger, type JobLogger } from './job-logger.js'
import { migrateJobQueue } from './migrate-job-queue.js'
import { startWorkerHeartbeat } from './worker-heartbeat.js'

/**
 * The tasks a worker runs, by identifier: graphile-worker's task functions
 * (`(payload, helpers) => Promise<void>`). A task that throws is retried with exponential
 * backoff until the job's `maxAttempts`.
 *
 * @example
 * ```ts
 * const tasks: JobTasks = {
 *   'app.notify_upload': async (payload, helpers) => { helpers.logger.info(`upload ${(payload as { upload_id: number }).upload_id}`) },
 * }
 * ```
 */
export type JobTasks = TaskList

/**
 * Options of {@link runJobWorker}. Every field but `upstream` and `tasks` has a default.
 *
 * @example
 * ```ts
 * const options: JobWorkerOptions = {
 *   upstream,
 *   tasks: claimsJobTasks(upstream),
 *   concurrency: 2,
 *   queueConnectionString: process.env.DATABASE_MIGRATION_URL, // a direct connection: the queue LISTENs
 *   logger: pino({ name: 'upstream-worker' }),
 * }
 * const worker = await runJobWorker(options)
 * ```
 */
export interface JobWorkerOptions<DB = unknown> {
  /** The database the tasks work on (its pool runs the tasks' queries). */
  readonly upstream: UpstreamDatabase<DB>
  /** The tasks, by identifier. */
  readonly tasks: JobTasks
  /** Jobs run at once in this process. Default 1. */
  readonly concurrency?: number
  /**
   * The queue's own connections (taking jobs, LISTEN for new ones): a small pool of its own,
   * never the tasks' pool. Default: the connection string of `upstream`'s pool. Behind
   * PgBouncer in transaction mode, give a direct URL: LISTEN needs a session (without it the
   * worker still finds jobs by polling every `pollIntervalMs`).
   */
  readonly queueConnectionString?: string
  /** How often to look for jobs when no notification came (scheduled jobs, retries). Default 2000 ms. */
  readonly pollIntervalMs?: number
  /** How often this process records that its workers are alive. Default 10,000 ms. */
  readonly heartbeatIntervalMs?: number
  /** A worker silent this long is dead: its jobs are unlocked and retried. Default 60,000 ms. */
  readonly staleAfterMs?: number
  /**
   * On {@link JobWorker.stop}, running jobs get this long to finish; then their abort signal
   * fires (the library's tasks then stop, roll back and leave the job to be retried), and 5 s
   * later any job still running is released (failed, to be retried). Default 20,000 ms.
   */
  readonly shutdownTimeoutMs?: number
  /** Run {@link migrateJobQueue} before starting. Default true. */
  readonly migrate?: boolean
  /** Where to log. Default: nowhere. */
  readonly logger?: JobLogger
}

/**
 * A running worker process's queue consumer.
 *
 * @example
 * ```ts
 * const worker = await runJobWorker({ upstream, tasks })
 * process.once('SIGTERM', () => void worker.stop().then(() => upstream.destroy()))
 * ```
 */
export interface JobWorker {
  /** This worker pool's id; its workers' ids (one per concurrent job) start with `worker-`. */
  readonly id: string
  /** The ids of the workers of this pool (what `locked_by` of their jobs says). */
  workerIds(): readonly string[]
  /** graphile-worker's events (`job:start`, `job:success`, `job:error`, `job:failed`, ...). */
  readonly events: WorkerEvents
  /** Settles once the worker has stopped. */
  readonly promise: Promise<void>
  /** Stops taking jobs, lets running ones finish (see `shutdownTimeoutMs`), then closes the queue's pool. Idempotent. */
  stop(): Promise<void>
}

function positiveInt(value: number | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback
  if (!Number.isSafeInteger(value) || value < 1) throw new ValidationError({ [name]: ['Must be a positive integer.'] })
  return value
}

/**
 * Runs a graphile-worker pool over the queue of `upstream`'s schema (`<schema>_jobs`), for as
 * many processes and machines as you start: each job runs once at a time, taken with
 * `FOR UPDATE SKIP LOCKED`; new jobs wake a worker through LISTEN/NOTIFY.
 *
 * On top of graphile-worker: a heartbeat (`job_workers`) so that the jobs of a worker killed
 * mid-job (SIGKILL, out of memory, a lost machine) are unlocked and retried after
 * `staleAfterMs` (60 s by default) instead of graphile-worker's fixed 4 hours (see
 * {@link releaseJobsOfDeadWorkers}); a bounded graceful stop; no signal handlers of its own
 * (the caller decides, see the worker example).
 *
 * @throws {@link JobQueueUnavailableError} on PGlite
 *
 * @example
 * ```ts
 * import { createDatabase, migrateToLatest, runJobWorker, claimsJobTasks } from 'upstream'
 * const upstream = await createDatabase({ connectionString: process.env.DATABASE_URL })
 * await migrateToLatest(upstream)
 * const worker = await runJobWorker({ upstream, tasks: claimsJobTasks(upstream), concurrency: 2 })
 * process.once('SIGTERM', () => void worker.stop().then(() => upstream.destroy()))
 * ```
 */
export async function runJobWorker<DB>(options: JobWorkerOptions<DB>): Promise<JobWorker> {
  const { upstream } = options
  const tasksPool = postgresPoolOf(upstream.db)
  if (!tasksPool) throw new JobQueueUnavailableError('unsupported')
  const concurrency = positiveInt(options.concurrency, 'concurrency', 1)
  const pollInterval = positiveInt(options.pollIntervalMs, 'pollIntervalMs', 2000)
  const heartbeatIntervalMs = positiveInt(options.heartbeatIntervalMs, 'heartbeatIntervalMs', 10_000)
  const staleAfterMs = positiveInt(options.staleAfterMs, 'staleAfterMs', 60_000)
  const shutdownTimeoutMs = positiveInt(options.shutdownTimeoutMs, 'shutdownTimeoutMs', 20_000)
  if (staleAfterMs <= heartbeatIntervalMs) {
    throw new ValidationError({ staleAfterMs: ['Must be longer than heartbeatIntervalMs (several beats, so one late beat is not a death).'] })
  }
  const logger = options.logger ?? silentJobLogger
  if (options.migrate !== false) await migrateJobQueue(upstream, { logger })

  // loaded on first use, never on import: a PGlite-only app has neither
  const [{ run }, { default: pg }, graphileLogger] = await Promise.all([import('graphile-worker'), import('pg'), toGraphileLogger(logger)])
  const connectionString = options.queueConnectionString ?? tasksPool.options.connectionString
  const queuePool = new pg.Pool({ connectionString, max: concurrency + 2, application_name: 'upstream-job-queue' })
  const events: WorkerEvents = new EventEmitter()
  const workers = new Set<string>()
  let workerPool: WorkerPool | undefined
  events.on('pool:create', ({ workerPool: created }) => (workerPool = created))
  events.on('worker:create', ({ worker }) => workers.add(worker.workerId))
  events.on('worker:stop', ({ worker }) => workers.delete(worker.workerId))

  let runner
  try {
    runner = await run({
      pgPool: queuePool,
      schema: jobQueueSchemaName(upstream.schema),
      taskList: options.tasks,
      concurrency,
      pollInterval,
      noHandleSignals: true,
      noPreparedStatements: true, // safe behind PgBouncer, whatever its mode
      gracefulShutdownAbortTimeout: shutdownTimeoutMs,
      logger: graphileLogger,
      events,
    })
  } catch (error) {
    await queuePool.end()
    throw error
  }
  const poolId = workerPool?.id ?? `pool-${process.pid}`
  const heartbeat = startWorkerHeartbeat({ upstream, poolId, workerIds: () => [...workers], intervalMs: heartbeatIntervalMs, staleAfterMs, logger })
  void heartbeat.beat()

  let stopping: Promise<void> | undefined
  const stop = () =>
    (stopping ??= (async () => {
      const graceful = runner.stop().catch((error: unknown) => logger.error({ err: error }, 'worker stop failed'))
      let timer: NodeJS.Timeout | undefined
      const deadline = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), shutdownTimeoutMs + 5000)))
      if ((await Promise.race([graceful, deadline])) === 'late' && workerPool) {
        logger.warn({ poolId }, 'jobs did not stop in time; releasing them for a retry')
        await workerPool.forcefulShutdown('The worker was stopped before the job finished.')
      }
      clearTimeout(timer)
      await heartbeat.stop()
      await queuePool.end().catch(() => undefined)
    })())
  const promise = runner.promise.then(
    () => stop(),
    async (error: unknown) => {
      logger.error({ err: error }, 'the worker failed')
      await stop()
      throw error
    },
  )
  promise.catch(() => undefined) // logged above; a caller that awaits `promise` still sees it
  return Object.freeze({ id: poolId, workerIds: () => [...workers], events, promise, stop })
}
