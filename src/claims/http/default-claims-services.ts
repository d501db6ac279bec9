import { detectDrift, getDriftReport, type DetectDriftOptions } from '../drift/index.js'
import { ingestUpload, uploadErrors, uploadStatistics } from '../ingestion/index.js'
import { DEFAULT_DRIFT_DELAY_MS, enqueueDriftNotifications, enqueueUpload, scheduleDriftRun, type ClaimsJobsOptions } from '../jobs/index.js'
import { listClaims, listDriftEvents, listDriftReports, listFailedUploads, listUploadClaims, listUploads } from '../lists/index.js'
import type { ClaimsServices } from './claims-services.js'

/**
 * The library's own services, as the HTTP core calls them by default.
 *
 * With `jobs` (background jobs; they apply on PostgreSQL only, never on PGlite), uploads may
 * also be asynchronous (`enqueueUpload`, for `Prefer: respond-async`), every successful upload
 * schedules the tenant's drift run in its data transaction, and every new drift report
 * enqueues one job per durable subscriber in its own transaction (see {@link ClaimsJobsOptions}).
 *
 * @param drift - options of every drift run (in-process subscribers, transaction settings)
 * @param jobs - background jobs: the same options the worker's `claimsJobTasks` gets; off when absent
 *
 * @example
 * ```ts
 * const services = defaultClaimsServices({ subscribers: [(notice) => queue.push(notice.report.id)] }, { driftDelayMs: 30_000 })
 * ```
 */
export function defaultClaimsServices(
  drift: Pick<DetectDriftOptions, 'subscribers' | 'onSubscriberError' | 'transaction'> = {},
  jobs?: ClaimsJobsOptions,
): ClaimsServices {
  const driftAfterUpload = jobs !== undefined && jobs.driftAfterUpload !== false
  const delayMs = jobs?.driftDelayMs ?? DEFAULT_DRIFT_DELAY_MS
  const durable = Object.keys(jobs?.driftSubscribers ?? {})
  const services: ClaimsServices = {
    listUploads: (tenant, query, options) => listUploads(tenant, query, options),
    listFailedUploads: (tenant, query, options) => listFailedUploads(tenant, query, options),
    listUploadClaims: (tenant, uploadId, query, options) => listUploadClaims(tenant, uploadId, query, options),
    listClaims: (tenant, query, options) => listClaims(tenant, query, options),
    listDriftReports: (tenant, query, options) => listDriftReports(tenant, query, options),
    listDriftEvents: (tenant, query, options) => listDriftEvents(tenant, query, options),
    ingestUpload: (tenant, input) =>
      ingestUpload(tenant, {
        ...input,
        ...(driftAfterUpload && tenant.upstream.dialect === 'postgres'
          ? { afterLoad: (context) => scheduleDriftRun(context, tenant.upstream.schema, delayMs).then(() => undefined) }
          : {}),
      }),
    ...(jobs ? ({ enqueueUpload: (tenant, input) => enqueueUpload(tenant, input) } satisfies Pick<ClaimsServices, 'enqueueUpload'>) : {}),
    uploadErrors: (tenant, uploadId) => uploadErrors(tenant, uploadId),
    uploadStatistics: (tenant, query) => uploadStatistics(tenant, query),
    detectDrift: (tenant, body, call) =>
      detectDrift(tenant, body, {
        ...drift,
        ...(call?.signal ? { signal: call.signal } : {}),
        ...(durable.length > 0 && tenant.upstream.dialect === 'postgres'
          ? { afterStore: (context, notice) => enqueueDriftNotifications(context, tenant.upstream.schema, notice, durable) }
          : {}),
      }),
    getDriftReport: (tenant, id) => getDriftReport(tenant, id),
  }
  return Object.freeze(services)
}
