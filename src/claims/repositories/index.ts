/**
 * The claims domain's repositories: uploads, claim records, drift reports and events, each
 * bound to one transaction and tenant (see {@link claimsTenant}).
 *
 * @example
 * ```ts
 * const upload = await claimsTenant(upstream, 7).read(({ uploads }) => uploads.getById(12))
 * ```
 *
 * @module
 */
export { UploadsRepository } from './uploads-repository.js'
export type { UploadInput, UploadChanges } from './uploads-repository.js'
export { ClaimsRepository } from './claims-repository.js'
export type { ClaimInput } from './claims-repository.js'
export { DriftReportsRepository } from './drift-reports-repository.js'
export type { DriftReportKey, DriftReportInput, DriftEventInput } from './drift-reports-repository.js'
