import type { Kysely } from 'kysely'
import type { Database } from '../claims/database.js'
import { ApiKeysRepository } from './repositories/api-keys-repository.js'
import { ClaimsRepository } from '../claims/repositories/claims-repository.js'
import { DriftReportsRepository } from '../claims/repositories/drift-reports-repository.js'
import { UploadsRepository } from '../claims/repositories/uploads-repository.js'

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
  // Repositories are made on first use: most transactions touch one or none of them.
  let uploads: UploadsRepository | undefined
  let claims: ClaimsRepository | undefined
  let apiKeys: ApiKeysRepository | undefined
  let driftReports: DriftReportsRepository | undefined
  return Object.freeze({
    customerId,
    db,
    get uploads() {
      return (uploads ??= new UploadsRepository(db, customerId))
    },
    get claims() {
      return (claims ??= new ClaimsRepository(db, customerId))
    },
    get apiKeys() {
      return (apiKeys ??= new ApiKeysRepository(db, customerId))
    },
    get driftReports() {
      return (driftReports ??= new DriftReportsRepository(db, customerId))
    },
  })
}
