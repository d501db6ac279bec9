import { hostname } from 'node:os'
import { sql } from 'kysely'
import type { UpstreamDatabase } from '../db/index.js'
import type { JobLogger } from './job-logger.js'
import { releaseJobsOfDeadWorkers } from './release-dead-workers.js'

/** What {@link startWorkerHeartbeat} needs. Internal. */
export interface WorkerHeartbeatOptions<DB> {
  readonly upstream: UpstreamDatabase<DB>
  readonly poolId: string
  /** The ids of this process's workers right now. */
  readonly workerIds: () => readonly string[]
  readonly intervalMs: number
  readonly staleAfterMs: number
  readonly logger: JobLogger
}

/** A running heartbeat. Internal. */
export interface WorkerHeartbeat {
  /** Records this process's workers as alive now, then releases the jobs of dead ones. */
  beat(): Promise<void>
  /** Stops beating and deletes this process's rows. */
  stop(): Promise<void>
}

/**
 * Every `intervalMs`: upserts one `job_workers` row per worker of this process (`seen_at =
 * now()`), then runs {@link releaseJobsOfDeadWorkers}. A failed beat is logged and the next
 * one tries again (a database outage must not stop the worker). Internal to {@link runJobWorker}.
 *
 * @example
 * ```ts
 * const heartbeat = startWorkerHeartbeat({ upstream, poolId, workerIds: () => [...ids], intervalMs: 10_000, staleAfterMs: 60_000, logger })
 * await heartbeat.stop()
 * ```
 */
export function startWorkerHeartbeat<DB>(options: WorkerHeartbeatOptions<DB>): WorkerHeartbeat {
  const { upstream, poolId, intervalMs, staleAfterMs, logger } = options
  const table = sql.id(upstream.schema, 'job_workers')
  const host = hostname()
  let running: Promise<void> | undefined
  let stopped = false

  const beatOnce = async () => {
    const ids = options.workerIds()
    if (ids.length > 0) {
      await sql`
        insert into ${table} (worker_id, pool_id, hostname, pid)
        select unnest(${sql.val([...ids])}::text[]), ${poolId}, ${host}, ${process.pid}
        on conflict (worker_id) do update set seen_at = now()`.execute(upstream.db)
    }
    const released = await releaseJobsOfDeadWorkers(upstream, { staleAfterMs })
    if (released.length > 0) logger.warn({ workers: released }, 'released the jobs of workers that stopped beating; they will be retried')
  }
  const beat = () => {
    running ??= beatOnce()
      .catch((error: unknown) => logger.warn({ err: error }, 'worker heartbeat failed; trying again at the next beat'))
      .finally(() => (running = undefined))
    return running
  }
  const timer = setInterval(() => void beat(), intervalMs)
  timer.unref()
  return {
    beat: () => (stopped ? Promise.resolve() : beat()),
    async stop() {
      if (stopped) return
      stopped = true
      clearInterval(timer)
      await running
      await sql`delete from ${table} where pool_id = ${poolId}`.execute(upstream.db).catch((error: unknown) => {
        logger.warn({ err: error }, 'could not delete the heartbeat rows; they expire on their own')
      })
    },
  }
}
