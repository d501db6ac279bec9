import { sql } from 'kysely'
import { jobQueueSchemaName, type UpstreamDatabase } from '../db/index.js'
import { ValidationError } from '../errors/index.js'

/**
 * Unlocks the jobs of workers that stopped beating: every job locked more than
 * `staleAfterMs` ago by a worker with no heartbeat in `job_workers` within `staleAfterMs`
 * (killed with SIGKILL, out of memory, its machine gone) is unlocked with graphile-worker's
 * `force_unlock_workers`, so the next free worker retries it at once (the failed attempt
 * counts: graphile-worker counts an attempt when a job is taken). Heartbeat rows older than
 * `staleAfterMs` are deleted. One statement, so two sweepers at once do no harm. Returns the
 * ids of the workers whose jobs were unlocked.
 *
 * Every {@link runJobWorker} runs this on each heartbeat; without it, graphile-worker
 * itself unlocks a job only 4 hours after it was taken.
 *
 * @example
 * ```ts
 * const released = await releaseJobsOfDeadWorkers(upstream, { staleAfterMs: 60_000 })
 * // ['worker-3f9a...'] after a worker was killed mid-job a minute ago
 * ```
 */
export async function releaseJobsOfDeadWorkers<DB>(upstream: UpstreamDatabase<DB>, options: { readonly staleAfterMs: number }): Promise<string[]> {
  const stale = options.staleAfterMs
  if (!Number.isSafeInteger(stale) || stale < 1) throw new ValidationError({ staleAfterMs: ['Must be a positive integer.'] })
  const workers = sql.id(upstream.schema, 'job_workers')
  const queue = jobQueueSchemaName(upstream.schema)
  const cutoff = sql`now() - ${stale} * interval '1 millisecond'`
  const { rows } = await sql<{ ids: string[] }>`
    with forgotten as (
      delete from ${workers} where seen_at < ${cutoff}
    ), dead as (
      select array(
        select distinct j.locked_by
        from ${sql.id(queue, 'jobs')} j
        where j.locked_by is not null and j.locked_at < ${cutoff}
          and not exists (select from ${workers} w where w.worker_id = j.locked_by and w.seen_at >= ${cutoff})
        order by 1
      ) as ids
    )
    select ids, ${sql.id(queue, 'force_unlock_workers')}(ids)::text as unlocked from dead`.execute(upstream.db)
  return rows[0]?.ids ?? []
}
