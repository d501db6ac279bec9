/**
 * Background jobs on PostgreSQL (graphile-worker): enqueue inside a tenant transaction,
 * run workers with crash recovery.
 *
 * @module
 */
export { enqueueTenantJob } from './enqueue-tenant-job.js'
export type { TenantJobSpec } from './enqueue-tenant-job.js'
export { jobQueueSchemaName } from './job-queue-schema.js'
export { JobQueueUnavailableError } from './job-queue-unavailable-error.js'
export { silentJobLogger } from './job-logger.js'
export type { JobLogger } from './job-logger.js'
export { migrateJobQueue } from './migrate-job-queue.js'
export { releaseJobsOfDeadWorkers } from './release-dead-workers.js'
export { runJobWorker } from './run-job-worker.js'
export type { JobTasks, JobWorker, JobWorkerOptions } from './run-job-worker.js'
