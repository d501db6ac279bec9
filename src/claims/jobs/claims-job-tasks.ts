import type { JobHelpers } from 'graphile-worker'
import type { UpstreamDatabase } from '../../db/index.js'
import { NotFoundError, ValidationError } from '../../errors/index.js'
import type { JobTasks } from '../../jobs/index.js'
import { claimsTenant, type ClaimsDatabase, type ClaimsTenantScope } from '../core/index.js'
import { detectDrift, getDriftReport } from '../drift/index.js'
import { CLAIMS_JOB_NAMES } from './claims-job-names.js'
import { DEFAULT_DRIFT_DELAY_MS, type ClaimsJobsOptions } from './claims-jobs-options.js'
import { ingestStoredUpload } from './ingest-stored-upload.js'
import { enqueueDriftNotifications, scheduleDriftRun } from './schedule-drift-run.js'

function positiveId(payload: Record<string, unknown>, key: string): number {
  const value = payload[key]
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new ValidationError({ [key]: ['The job payload needs a positive integer here.'] })
  }
  return value
}

/** The tenant a job was enqueued for (stamped by the database, never chosen by the caller) and its payload. */
function tenantOf(upstream: UpstreamDatabase<ClaimsDatabase>, payload: unknown): { tenant: ClaimsTenantScope; payload: Record<string, unknown> } {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new ValidationError({ payload: ['A job payload must be a JSON object.'] })
  }
  const fields = payload as Record<string, unknown>
  return { tenant: claimsTenant(upstream, positiveId(fields, 'customer_id')), payload: fields }
}

const finalAttempt = (helpers: JobHelpers) => helpers.job.attempts >= helpers.job.max_attempts

/**
 * The claims domain's tasks for {@link jobs!runJobWorker}, every one run as the job's tenant
 * (`claimsTenant` of the `customer_id` the database stamped into the payload):
 *
 * - `upstream.ingest_upload` {@link ingestStoredUpload}: loads an upload accepted with
 *   `Prefer: respond-async`; on success, schedules the tenant's drift run in the same
 *   transaction (unless `driftAfterUpload: false`);
 * - `upstream.drift_run`: {@link detectDrift} with `driftAfterUpload`'s parameters and
 *   `force: true`; enqueues one `upstream.drift_notify` per durable subscriber in the
 *   report's transaction;
 * - `upstream.drift_notify`: calls the named subscriber of `driftSubscribers` with the report
 *   and its events; a throw is retried with backoff (25 attempts); a report deleted since
 *   (replaced by a newer run) is skipped.
 *
 * Give the API process the same `options` (`createHttpHandler({ upstream, jobs: options })`).
 *
 * @example
 * ```ts
 * const worker = await runJobWorker({
 *   upstream,
 *   tasks: { ...claimsJobTasks(upstream, { driftSubscribers: { mail: sendDriftMail } }), 'app.cleanup': cleanup },
 * })
 * ```
 */
export function claimsJobTasks(upstream: UpstreamDatabase<ClaimsDatabase>, options: ClaimsJobsOptions = {}): JobTasks {
  const driftParams = options.driftAfterUpload ?? {}
  const delayMs = options.driftDelayMs ?? DEFAULT_DRIFT_DELAY_MS
  const subscribers = options.driftSubscribers ?? {}
  const names = Object.keys(subscribers)
  const { schema } = upstream

  return Object.freeze({
    [CLAIMS_JOB_NAMES.ingestUpload]: async (raw: unknown, helpers: JobHelpers) => {
      const { tenant, payload } = tenantOf(upstream, raw)
      const uploadId = positiveId(payload, 'upload_id')
      const result = await ingestStoredUpload(tenant, uploadId, {
        finalAttempt: finalAttempt(helpers),
        signal: helpers.abortSignal,
        afterLoad: driftParams === false ? undefined : (repos) => scheduleDriftRun(repos, schema, delayMs).then(() => undefined),
      })
      helpers.logger.info(`upload ${uploadId} of customer ${tenant.customerId}: ${result.outcome}`, {
        customerId: tenant.customerId,
        uploadId,
        outcome: result.outcome,
        rows: result.upload?.row_count ?? null,
      })
    },
    [CLAIMS_JOB_NAMES.driftRun]: async (raw: unknown, helpers: JobHelpers) => {
      if (driftParams === false) return
      const { tenant } = tenantOf(upstream, raw)
      const detection = await detectDrift(
        tenant,
        { ...driftParams, force: true },
        { afterStore: names.length > 0 ? (repos, notice) => enqueueDriftNotifications(repos, schema, notice, names) : undefined },
      )
      helpers.logger.info(`drift report ${detection.report.id} of customer ${tenant.customerId}: ${detection.events.length} events`, {
        customerId: tenant.customerId,
        reportId: detection.report.id,
      })
    },
    [CLAIMS_JOB_NAMES.driftNotify]: async (raw: unknown, helpers: JobHelpers) => {
      const { tenant, payload } = tenantOf(upstream, raw)
      const reportId = positiveId(payload, 'report_id')
      const name = payload.subscriber
      const subscriber = typeof name === 'string' ? subscribers[name] : undefined
      // Another deployment may know it (a rolling update): fail, and be retried later.
      if (!subscriber) throw new Error(`No drift subscriber named ${JSON.stringify(name)} in this worker.`)
      let found
      try {
        found = await getDriftReport(tenant, reportId)
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error
        helpers.logger.info(`drift report ${reportId} is gone (replaced); subscriber ${String(name)} not called`)
        return
      }
      await subscriber({ customerId: tenant.customerId, report: found.report, events: found.events, replaced: payload.replaced === true })
    },
  })
}
