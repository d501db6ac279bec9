import { sql } from 'kysely'
import type { ClaimRecord } from '../core/index.js'
import { NotFoundError } from '../../errors/index.js'
import type { CountedPage, ListPage } from '../../list-query/index.js'
import type { ListParams, ListQuery } from '../../list-query/index.js'
import type { ClaimsTenantScope } from '../core/index.js'
import { claimsListSpec, uploadClaimsListSpec } from './claims-list-spec.js'
import type { ListOptions } from '../../list-query/index.js'
import { runTenantList } from '../../list-query/index.js'

/**
 * GET `/claims/`: the tenant's claims, filtered, searched, ordered and paginated as
 * {@link claimsListSpec} describes (page-number by default; cursor when `cursor` is given or
 * `pagination=cursor`). One read-only transaction, at most two statements.
 *
 * @example
 * ```ts
 * const page = await listClaims(claimsTenant(upstream, 7), req.query, { url: 'https://api.example.com' + req.originalUrl })
 * // { count, next, previous, results: ClaimRecord[] }  or, with a cursor, { next, previous, results }
 * ```
 */
export function listClaims(tenant: ClaimsTenantScope, query: ListQuery | ListParams, options: ListOptions): Promise<ListPage<ClaimRecord>> {
  return runTenantList(tenant, claimsListSpec, query, options)
}

/**
 * GET `/uploads/{id}/claim_records/`: one upload's claims ordered by `claim_number`, page-number.
 * Throws `NotFoundError` when the upload does not exist or is another tenant's (the same
 * answer, on purpose). At most two statements (the existence check runs only for an empty page).
 *
 * @example
 * ```ts
 * const page = await listUploadClaims(tenant, 12, { page: '2' }, { url })
 * ```
 */
export async function listUploadClaims(tenant: ClaimsTenantScope, uploadId: number, query: ListQuery | ListParams, options: ListOptions): Promise<CountedPage<ClaimRecord>> {
  if (!Number.isSafeInteger(uploadId)) throw new NotFoundError('uploads', String(uploadId))
  const page = await runTenantList(
    tenant,
    uploadClaimsListSpec,
    query,
    options,
    { key: `upload:${uploadId}`, apply: (qb) => qb.where('upload_id', '=', uploadId) },
    async (db, result) => {
      if (result.results.length > 0) return
      const found = await db
        .selectFrom('uploads')
        .select(sql<number>`1`.as('found'))
        .where('customer_id', '=', tenant.customerId)
        .where('id', '=', uploadId)
        .executeTakeFirst()
      if (!found) throw new NotFoundError('uploads', uploadId)
    },
  )
  return page as CountedPage<ClaimRecord>
}
