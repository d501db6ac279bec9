import { forTenant, type TenantContext, type TenantScope } from '../../tenancy/index.js'
import type { UpstreamDatabase } from '../../db/index.js'
import type { ClaimsDatabase } from './database.js'
import { ClaimsRepository, DriftReportsRepository, UploadsRepository } from '../repositories/index.js'

/**
 * What a claims tenant transaction hands to its unit of work: the {@link TenantContext}
 * plus the claims domain's repositories, made on first use.
 *
 * @example
 * ```ts
 * await claimsTenant(upstream, 7).transaction(async ({ uploads, claims }) => {
 *   const upload = await uploads.create({ filename: 'june.csv' })
 *   await claims.insertMany(upload.id, rows)
 * })
 * ```
 */
export interface ClaimsTenantContext extends TenantContext<ClaimsDatabase> {
  /** Uploads. */
  readonly uploads: UploadsRepository
  /** Claim records. */
  readonly claims: ClaimsRepository
  /** Drift reports and events. */
  readonly driftReports: DriftReportsRepository
}

/**
 * A tenant scope over the claims domain's tables whose units of work get its repositories.
 *
 * @example
 * ```ts
 * const tenant: ClaimsTenantScope = claimsTenant(upstream, 7)
 * const page = await listClaims(tenant, req.query, { url })
 * ```
 */
export type ClaimsTenantScope = TenantScope<ClaimsDatabase, ClaimsTenantContext>

/**
 * Adds the claims repositories to a tenant context (lazily: most transactions touch one or none).
 *
 * @example
 * ```ts
 * const tenant = forTenant(upstream, 7).with(claimsContext)
 * ```
 */
export function claimsContext(context: TenantContext<ClaimsDatabase>): ClaimsTenantContext {
  const { db, customerId } = context
  let uploads: UploadsRepository | undefined
  let claims: ClaimsRepository | undefined
  let driftReports: DriftReportsRepository | undefined
  return Object.freeze({
    customerId,
    db,
    get apiKeys() {
      return context.apiKeys
    },
    get uploads() {
      return (uploads ??= new UploadsRepository(db, customerId))
    },
    get claims() {
      return (claims ??= new ClaimsRepository(db, customerId))
    },
    get driftReports() {
      return (driftReports ??= new DriftReportsRepository(db, customerId))
    },
  })
}

/**
 * The claims tenant scope of one customer: {@link forTenant} with the claims repositories.
 *
 * @example
 * ```ts
 * const upload = await claimsTenant(upstream, 7).read(({ uploads }) => uploads.getById(12))
 * ```
 */
export function claimsTenant(upstream: UpstreamDatabase<ClaimsDatabase>, customerId: number): ClaimsTenantScope {
  return forTenant(upstream, customerId).with(claimsContext)
}
