/**
 * The claims domain's core: its tables ({@link ClaimsDatabase}) and its tenant scope with
 * repositories ({@link claimsTenant}).
 *
 * @example
 * ```ts
 * const upload = await claimsTenant(upstream, 7).read(({ uploads }) => uploads.getById(12))
 * ```
 *
 * @module
 */
export { claimsTenant, claimsContext } from './claims-tenant.js'
export type { ClaimsTenantContext, ClaimsTenantScope } from './claims-tenant.js'
export { UPLOAD_STATUSES, CLAIM_STATUSES, DRIFT_GROUP_BYS, DRIFT_METRICS, DRIFT_SEVERITIES } from './database.js'
export type * from './database.js'
