/**
 * The claims domain's background jobs: asynchronous uploads, drift runs after uploads,
 * durable drift subscribers.
 *
 * @module
 */
export { CLAIMS_JOB_NAMES, CLAIMS_JOB_MAX_ATTEMPTS } from './claims-job-names.js'
export { DEFAULT_DRIFT_DELAY_MS } from './claims-jobs-options.js'
export type { ClaimsJobsOptions } from './claims-jobs-options.js'
export { claimsJobTasks } from './claims-job-tasks.js'
export { enqueueUpload } from './enqueue-upload.js'
export type { EnqueueUploadInput } from './enqueue-upload.js'
export { ingestStoredUpload } from './ingest-stored-upload.js'
export type { StoredUploadOptions, StoredUploadResult } from './ingest-stored-upload.js'
export { scheduleDriftRun, enqueueDriftNotifications } from './schedule-drift-run.js'
