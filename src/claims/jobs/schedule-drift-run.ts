import { enqueueTenantJob } from '../../jobs/index.js'
import type { ClaimsTenantContext } from '../core/index.js'
import type { DriftNotice } from '../drift/index.js'
import { CLAIMS_JOB_MAX_ATTEMPTS, CLAIMS_JOB_NAMES } from './claims-job-names.js'

/**
 * Schedules the tenant's drift run inside the caller's tenant transaction (an upload's data
 * transaction): at most one pending run per tenant (job key `drift`, mode `preserve_run_at`,
 * so a burst of uploads shares the run the first one scheduled), and at most one running at a
 * time (queue `drift` of the tenant). Returns the job id.
 *
 * @example
 * ```ts
 * await ingestUpload(tenant, { filename, body, afterLoad: (repos) => scheduleDriftRun(repos, upstream.schema, 10_000) })
 * ```
 */
export async function scheduleDriftRun(repos: ClaimsTenantContext, schema: string, delayMs: number): Promise<string> {
  return enqueueTenantJob(repos.db, schema, {
    task: CLAIMS_JOB_NAMES.driftRun,
    jobKey: 'drift',
    jobKeyMode: 'preserve_run_at',
    queueName: 'drift',
    delayMs,
    maxAttempts: CLAIMS_JOB_MAX_ATTEMPTS.driftRun,
  })
}

/**
 * Enqueues one `upstream.drift_notify` job per durable subscriber name for a new report,
 * inside the report's transaction (see `DetectDriftOptions.afterStore`).
 *
 * @example
 * ```ts
 * await detectDrift(tenant, body, { afterStore: (repos, notice) => enqueueDriftNotifications(repos, upstream.schema, notice, ['slack']) })
 * ```
 */
export async function enqueueDriftNotifications(repos: ClaimsTenantContext, schema: string, notice: DriftNotice, names: readonly string[]): Promise<void> {
  for (const subscriber of names) {
    await enqueueTenantJob(repos.db, schema, {
      task: CLAIMS_JOB_NAMES.driftNotify,
      payload: { report_id: notice.report.id, subscriber, replaced: notice.replaced },
      maxAttempts: CLAIMS_JOB_MAX_ATTEMPTS.driftNotify,
    })
  }
}
