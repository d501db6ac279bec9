import { detectDrift, getDriftReport, type DetectDriftOptions } from '../drift/index.js'
import { ingestUpload, uploadStatistics } from '../ingestion/index.js'
import type { HttpServices } from './http-services.js'

// TODO(http): wire src/lists once it exports its list services.
const pending = (name: string) => async (): Promise<never> => {
  throw new Error(`${name} is not available yet.`)
}

/**
 * The library's own services, as the HTTP core calls them by default.
 *
 * @param drift - options of every drift run (subscribers, transaction settings)
 *
 * @example
 * ```ts
 * const services = defaultHttpServices({ subscribers: [(notice) => queue.push(notice.report.id)] })
 * ```
 */
export function defaultHttpServices(drift: Pick<DetectDriftOptions, 'subscribers' | 'onSubscriberError' | 'transaction'> = {}): HttpServices {
  const services: HttpServices = {
    listUploads: pending('listUploads'),
    listFailedUploads: pending('listFailedUploads'),
    listUploadClaims: pending('listUploadClaims'),
    listClaims: pending('listClaims'),
    listDriftReports: pending('listDriftReports'),
    listDriftEvents: pending('listDriftEvents'),
    ingestUpload: (tenant, input) => ingestUpload(tenant, input),
    uploadStatistics: (tenant, query) => uploadStatistics(tenant, query),
    detectDrift: (tenant, body) => detectDrift(tenant, body, drift),
    getDriftReport: (tenant, id) => getDriftReport(tenant, id),
  }
  return Object.freeze(services)
}
