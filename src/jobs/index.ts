/**
 * Background jobs on the same PostgreSQL (graphile-worker 0.16): {@link enqueueTenantJob}
 * adds a job inside a tenant transaction, so it commits or rolls back with the data it acts
 * on; {@link runJobWorker} runs workers (any number, on any machine) with a heartbeat that
 * retries the jobs of a killed worker within a minute; {@link migrateJobQueue} installs the
 * queue. graphile-worker and `pg` are loaded on first use, never on import.
 *
 * @example
 * ```ts
 * import { enqueueTenantJob, migrateJobQueue, runJobWorker } from '@upstreamjs/upstream/jobs'
 * await migrateJobQueue(upstream)
 * await forTenant(upstream, 7).transaction(({ db }) => enqueueTenantJob(db, upstream.schema, { task: 'app.reindex' }))
 * const worker = await runJobWorker({ upstream, tasks: { 'app.reindex': reindex } })
 * ```
 *
 * @packageDocumentation
 * @module jobs
 */
export { enqueueTenantJob } from './enqueue-tenant-job.js'
export type { TenantJobSpec } from './enqueue-tenant-job.js'
export { JobQueueUnavailableError } from './job-queue-unavailable-error.js'
export { silentJobLogger } from './job-logger.js'
export type { JobLogger } from './job-logger.js'
export { migrateJobQueue } from './migrate-job-queue.js'
export { jobMigrations } from './job-migrations.js'
export { releaseJobsOfDeadWorkers } from './release-dead-workers.js'
export { runJobWorker } from './run-job-worker.js'
export type { JobTasks, JobWorker, JobWorkerOptions } from './run-job-worker.js'
