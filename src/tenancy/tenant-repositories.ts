import type { Kysely } from 'kysely'
import type { Database } from '../db/database.js'
import { ApiKeysRepository } from './repositories/api-keys-repository.js'
import { ClaimsRepository } from './repositories/claims-repository.js'
import { DriftReportsRepository } from './repositories/drift-reports-repository.js'
import { UploadsRepository } from './repositories/uploads-repository.js'

/**
 * What a tenant transaction hands to its unit of work: the transaction's Kysely
 * (row-level security active, tenant set) and the repositories bound to it.
 *
 * @example
 * ```ts
 * await forTenant(upstream, 7).transaction(async ({ db, uploads, customerId }) => { ... })
 * ```
 */
export interface TenantRepositories {
  /** The tenant. */
  readonly customerId: number
  /** The transaction's Kysely. Raw queries through it still see only this tenant's rows. */
  readonly db: Kysely<Database>
  /** Uploads. */
  readonly uploads: UploadsRepository
  /** Claim records. */
  readonly claims: ClaimsRepository
  /** API keys. */
  readonly apiKeys: ApiKeysRepository
  /** Drift reports and events. */
  readonly driftReports: DriftReportsRepository
}

/**
 * Binds every repository to one connection and tenant.
 *
 * @example
 * ```ts
 * const repos = tenantRepositories(trx, 7)
 * ```
 */
export function tenantRepositories(db: Kysely<Database>, customerId: number): TenantRepositories {
  return Object.freeze({
    customerId,
    db,
    uploads: new UploadsRepository(db, customerId),
    claims: new ClaimsRepository(db, customerId),
    apiKeys: new ApiKeysRepository(db, customerId),
    driftReports: new DriftReportsRepository(db, customerId),
  })
}
