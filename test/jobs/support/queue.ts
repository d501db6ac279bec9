import { sql } from 'kysely'
import { jobQueueSchemaName, type UpstreamDatabase } from '../../support/upstream.js'

/** One row of graphile-worker's public `jobs` view, read as the owner. */
export interface QueuedJob {
  id: string
  task_identifier: string
  queue_name: string | null
  key: string | null
  payload: Record<string, unknown>
  attempts: number
  max_attempts: number
  last_error: string | null
  locked_by: string | null
  run_at: Date
}

/** Every job of the schema's queue (the payload comes from the private table: the view has none). */
export async function queuedJobs<DB>(upstream: UpstreamDatabase<DB>, task?: string): Promise<QueuedJob[]> {
  const q = jobQueueSchemaName(upstream.schema)
  const { rows } = await sql<QueuedJob>`
    select j.id::text as id, j.task_identifier, j.queue_name, j.key, p.payload, j.attempts, j.max_attempts, j.last_error, j.locked_by, j.run_at
    from ${sql.id(q, 'jobs')} j join ${sql.id(q, '_private_jobs')} p on p.id = j.id
    where ${task === undefined ? sql`true` : sql`j.task_identifier = ${task}`}
    order by j.id`.execute(upstream.db)
  return rows
}

/** Polls `check` every 50 ms until it returns a value other than `undefined`, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
