import { sql, type Kysely } from 'kysely'
import { sqlStateOf, ValidationError } from '../errors/index.js'
import { JobQueueUnavailableError } from './job-queue-unavailable-error.js'

/**
 * What {@link enqueueTenantJob} adds: a task identifier and its payload, with graphile-worker's
 * scheduling options. `jobKey` and `queueName` are the tenant's own: the database prefixes
 * them with `tenant:<id>:`, so two tenants using the same key never touch each other's jobs.
 *
 * @example
 * ```ts
 * const drift: TenantJobSpec = {
 *   task: 'upstream.drift_run',
 *   jobKey: 'drift',                 // one pending run per tenant...
 *   jobKeyMode: 'preserve_run_at',   // ...that later uploads do not push back
 *   queueName: 'drift',              // and one running at a time
 *   delayMs: 10_000,
 *   maxAttempts: 5,
 * }
 * ```
 */
export interface TenantJobSpec {
  /** The task identifier the worker runs (`upstream.ingest_upload`, or one of your own). */
  readonly task: string
  /** A JSON object; `customer_id` is set by the database to the transaction's tenant (a given one is overwritten). */
  readonly payload?: Readonly<Record<string, unknown>>
  /** Deduplicates: a second job with the same key replaces the pending one (see `jobKeyMode`). */
  readonly jobKey?: string
  /** graphile-worker's key modes: `replace` (default), `preserve_run_at`, `unsafe_dedupe`. */
  readonly jobKeyMode?: 'replace' | 'preserve_run_at' | 'unsafe_dedupe'
  /** Jobs of one queue run one at a time, in order. */
  readonly queueName?: string
  /** Run no earlier than this many milliseconds after the transaction's `now()`. */
  readonly delayMs?: number
  /** Attempts before the job is given up (graphile-worker's default: 25), with exponential backoff between them. */
  readonly maxAttempts?: number
  /** Lower runs first (default 0). */
  readonly priority?: number
}

const UNINSTALLED = new Set(['3F000', '42883', '42P01'])

function nonNegative(value: number | undefined, name: string, integer = true): number | undefined {
  if (value === undefined) return undefined
  if (!Number.isFinite(value) || value < 0 || (integer && !Number.isSafeInteger(value))) {
    throw new ValidationError({ [name]: ['Must be a non-negative number.'] })
  }
  return value
}

/**
 * Adds a job to the queue inside the caller's tenant transaction: it commits with the data
 * it acts on, or rolls back with it (no job for a rolled-back upload, no upload without its
 * job). It goes through `<schema>.enqueue_tenant_job(...)` (migration 0009), a `SECURITY
 * DEFINER` function the runtime role may call, which stamps the transaction's tenant into
 * the payload as `customer_id`; the worker then runs the job through `forTenant` of that id.
 * Returns the job's id.
 *
 * @param db - the tenant transaction's Kysely (`repos.db`)
 * @param schema - the library schema (`tenant.upstream.schema`)
 * @throws {@link JobQueueUnavailableError} when the queue is not installed (the transaction
 *   is then aborted: let the error propagate so it rolls back)
 *
 * @example
 * ```ts
 * await forTenant(upstream, 7).transaction(async ({ db, uploads }) => {
 *   const upload = await uploads.create({ filename: 'june.csv' })
 *   await enqueueTenantJob(db, upstream.schema, { task: 'app.notify_upload', payload: { upload_id: upload.id } })
 * })
 * // the job's payload: { upload_id: 12, customer_id: 7 }
 * ```
 */
export async function enqueueTenantJob<DB>(db: Kysely<DB>, schema: string, job: TenantJobSpec): Promise<string> {
  if (typeof job.task !== 'string' || job.task.length === 0) throw new ValidationError({ task: ['This field is required.'] })
  const delayMs = nonNegative(job.delayMs, 'delayMs', false)
  const maxAttempts = nonNegative(job.maxAttempts, 'maxAttempts')
  const payload = JSON.stringify(job.payload ?? {})
  const runAt = delayMs === undefined ? sql`null` : sql`(now() + ${delayMs}::double precision * interval '1 millisecond')`
  try {
    const { rows } = await sql<{ id: string | number }>`
      select ${sql.id(schema, 'enqueue_tenant_job')}(
        p_task => ${job.task},
        p_payload => ${payload}::jsonb,
        p_job_key => ${job.jobKey ?? null}::text,
        p_job_key_mode => ${job.jobKeyMode ?? null}::text,
        p_queue_name => ${job.queueName ?? null}::text,
        p_run_at => ${runAt}::timestamptz,
        p_max_attempts => ${maxAttempts ?? null}::integer,
        p_priority => ${job.priority ?? null}::integer
      ) as id`.execute(db)
    return String(rows[0]!.id)
  } catch (error) {
    if (UNINSTALLED.has(sqlStateOf(error) ?? '')) throw new JobQueueUnavailableError('not_installed', { cause: error })
    throw error
  }
}
