import { detectDrift, getDriftReport, type DetectDriftOptions } from '../drift/index.js'
import { ingestUpload, uploadStatistics } from '../ingestion/index.js'
import { listClaims, listDriftEvents, listDriftReports, listFailedUploads, listUploadClaims, listUploads } from '../lists/index.js'
import type { ClaimsServices } from './claims-services.js'

/**
 * The library's own services, as the HTTP core calls them by default.
 *
 * @param drift - options of every drift run (subscribers, transaction settings)
 *
 * @example
 * ```ts
 * const services = defaultClaimsServices({ subscribers: [(notice) => queue.push(notice.report.id)] })
 * ```
 */
export function defaultClaimsServices(drift: Pick<DetectDriftOptions, 'subscribers' | 'onSubscriberError' | 'transaction'> = {}): ClaimsServices {
  const services: ClaimsServices = {
    listUploads: (tenant, query, options) => listUploads(tenant, query, options),
    listFailedUploads: (tenant, query, options) => listFailedUploads(tenant, query, options),
    listUploadClaims: (tenant, uploadId, query, options) => listUploadClaims(tenant, uploadId, query, options),
    listClaims: (tenant, query, options) => listClaims(tenant, query, options),
    listDriftReports: (tenant, query, options) => listDriftReports(tenant, query, options),
    listDriftEvents: (tenant, query, options) => listDriftEvents(tenant, query, options),
    ingestUpload: (tenant, input) => ingestUpload(tenant, input),
    uploadStatistics: (tenant, query) => uploadStatistics(tenant, query),
    detectDrift: (tenant, body) => detectDrift(tenant, body, drift),
    getDriftReport: (tenant, id) => getDriftReport(tenant, id),
  }
  return Object.freeze(services)
}
