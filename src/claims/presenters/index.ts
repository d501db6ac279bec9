/**
 * The claims API's presenters: rows written as the API's JSON (amounts as two-decimal
 * strings, dates as `YYYY-MM-DD`, timestamps as ISO 8601 UTC), typed as the output of the
 * resource schemas.
 *
 * @example
 * ```ts
 * res.json(presentClaim(await claimsTenant(upstream, 7).read(({ claims }) => claims.getById(42))))
 * ```
 *
 * @module
 */
export { presentUpload } from './upload-presenter.js'
export type { UploadJson } from './upload-presenter.js'
export { presentClaim } from './claim-presenter.js'
export type { ClaimJson } from './claim-presenter.js'
export { presentDriftReport, presentDriftReportDetail } from './drift-report-presenter.js'
export type { DriftReportJson, DriftReportDetailJson } from './drift-report-presenter.js'
export { presentDriftEvent } from './drift-event-presenter.js'
export type { DriftEventJson } from './drift-event-presenter.js'
export { presentUploadStatistics } from './upload-statistics-presenter.js'
export type { UploadStatisticsJson, UploadStatisticsInput } from './upload-statistics-presenter.js'
