import { detectDrift, getDriftReport, type DetectDriftOptions } from '../drift/index.js'
import { ingestUpload, uploadErrors, uploadStatistics } from '../ingestion/index.js'
import { DEFAULT_DRIFT_DELAY_MS, type ClaimsJobsOptions } from '../jobs/claims-jobs-options.js'
import { enqueueUpload } from '../jobs/enqueue-upload.js'
import { enqueueDriftNotifications, scheduleDriftRun } from '../jobs/schedule-drift-run.js'
import { listClaims, listDriftEvents, listDriftReports, listFailedUploads, listUploadClaims, listUploads } from '../lists/index.js'
import type { HttpServices } from './claims-services.js'

/**
 * The library's own services, as the HTTP core calls them by default.
 *
 * With `jobs` (background jobs on, PostgreSQL only), uploads may also be asynchronous
 * (`enqueueUpload`, for `Prefer: respond-async`), every successful upload schedules the
 * tenant's drift run in its data transaction, and every new drift report enqueues one job per
 * durable subscriber in its own transaction (see {@link ClaimsJobsOptions}).
 *
 * @param drift - options of every drift run (in-process subscribers, transaction settings)
 * @param jobs - background jobs: the same options the worker's `claimsJobTasks` gets; off when absent
 *
 * @example
 * ```ts
 * const services = defaultHttpServices({ subscribers: [(notice) => queue.push(notice.report.id)] }, { driftDelayMs: 30_000 })
 * ```
 */
export function defaultHttpServices(
  drift: Pick<DetectDriftOptions, 'subscribers' | 'onSubscriberError' | 'transaction'> = {},
  jobs?: ClaimsJobsOptions,
): HttpServices {
  const driftAfterUpload = jobs !== undefined && jobs.driftAfterUpload !== false
  const delayMs = jobs?.driftDelayMs ?? DEFAULT_DRIFT_DELAY_MS
  const durable = Object.keys(jobs?.driftSubscribers ?? {})
  const services: HttpServices = {
    listUploads: (tenant, query, options) => listUploads(tenant, query, options),
    listFailedUploads: (tenant, query, options) => listFailedUploads(tenant, query, options),
    listUploadClaims: (tenant, uploadId, query, options) => listUploadClaims(tenant, uploadId, query, options),
    listClaims: (tenant, query, options) => listClaims(tenant, query, options),
    listDriftReports: (tenant, query, options) => listDriftReports(tenant, query, options),
    listDriftEvents: (tenant, query, options) => listDriftEvents(tenant, query, options),
    ingestUpload: (tenant, input) =>
      ingestUpload(tenant, {
        ...input,
        ...(driftAfterUpload ? { afterLoad: (repos) => scheduleDriftRun(repos, tenant.upstream.schema, delayMs).then(() => undefined) } : {}),
      }),
    ...(jobs ? { enqueueUpload: (tenant, input) => enqueueUpload(tenant, input) } satisfies Pick<HttpServices, 'enqueueUpload'> : {}),
    uploadErrors: (tenant, uploadId) => uploadErrors(tenant, uploadId),
    uploadStatistics: (tenant, query) => uploadStatistics(tenant, query),
    detectDrift: (tenant, body) =>
      detectDrift(tenant, body, {
        ...drift,
        ...(durable.length > 0 ? { afterStore: (repos, notice) => enqueueDriftNotifications(repos, tenant.upstream.schema, notice, durable) } : {}),
      }),
    getDriftReport: (tenant, id) => getDriftReport(tenant, id),
  }
  return Object.freeze(services)
}
