/**
 * The task identifiers of the claims domain's background jobs:
 * - `ingestUpload` (`upstream.ingest_upload`): loads an upload stored by `Prefer: respond-async`;
 * - `driftRun` (`upstream.drift_run`): the tenant's drift run after successful uploads;
 * - `driftNotify` (`upstream.drift_notify`): one durable drift subscriber for one new report.
 *
 * @example
 * ```ts
 * const pending = await sql`select count(*) from upstream_jobs.jobs where task_identifier = ${CLAIMS_JOB_NAMES.driftRun}`.execute(upstream.db)
 * ```
 */
export const CLAIMS_JOB_NAMES = Object.freeze({
  ingestUpload: 'upstream.ingest_upload',
  driftRun: 'upstream.drift_run',
  driftNotify: 'upstream.drift_notify',
} as const)

/**
 * How many times each claims job is tried before it is given up, with graphile-worker's
 * exponential backoff between attempts (about e^n seconds after the n-th failure):
 * ingestion 5 (about 1.5 minutes in all), drift runs 5, drift subscribers 25 (about 3 days).
 *
 * @example
 * ```ts
 * CLAIMS_JOB_MAX_ATTEMPTS.driftNotify // 25
 * ```
 */
export const CLAIMS_JOB_MAX_ATTEMPTS = Object.freeze({ ingestUpload: 5, driftRun: 5, driftNotify: 25 } as const)
