import { UpstreamError, type ErrorBody } from '../errors/index.js'

/**
 * A job could not be enqueued or a worker could not start: the database has no job queue
 * (on PGlite, which has no `pg` pool, LISTEN/NOTIFY or separate sessions), or its queue
 * schema (`<schema>_jobs`) is not installed yet ({@link migrateJobQueue} installs it; the
 * worker does at start). The transaction that tried to enqueue rolled back, so nothing it
 * wrote exists. Over HTTP: 503 with `Retry-After: 30` (a deployment problem, not the client's).
 *
 * @example
 * ```ts
 * try { await enqueueUpload(tenant, { filename, body }) }
 * catch (e) { if (e instanceof JobQueueUnavailableError) console.error(e.reason) } // 'not_installed' | 'unsupported'
 * ```
 */
export class JobQueueUnavailableError extends UpstreamError {
  readonly code = 'job_queue_unavailable'
  override readonly status = 503
  override responseBody(): ErrorBody {
    return { detail: 'Service temporarily unavailable, try again later.' }
  }
  override responseHeaders(): Readonly<Record<string, string>> {
    return { 'retry-after': '30' }
  }
  /** `unsupported`: the database cannot host a queue (PGlite); `not_installed`: run `migrateJobQueue` (or start a worker). */
  readonly reason: 'unsupported' | 'not_installed'
  constructor(reason: 'unsupported' | 'not_installed', options?: { cause?: unknown }) {
    super(
      reason === 'unsupported'
        ? 'Background jobs need PostgreSQL through a pg pool; this database (PGlite) has no job queue.'
        : 'The job queue is not installed in this database; run migrateJobQueue(upstream) (a worker does at start).',
      options,
    )
    this.reason = reason
  }
}
