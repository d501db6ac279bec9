import type { Upload } from '../core/index.js'
import type { CountedPage } from '../../list-query/index.js'
import type { ListParams, ListQuery } from '../../list-query/index.js'
import type { ClaimsTenantScope } from '../core/index.js'
import type { ListOptions } from '../../list-query/index.js'
import { runTenantList } from '../../list-query/index.js'
import { failedUploadsListSpec, uploadsListSpec } from './uploads-list-spec.js'

/**
 * GET `/uploads/`: the tenant's uploads as {@link uploadsListSpec} describes.
 *
 * @example
 * ```ts
 * const page = await listUploads(claimsTenant(upstream, 7), { status: 'failed', search: 'march' }, { url })
 * ```
 */
export async function listUploads(tenant: ClaimsTenantScope, query: ListQuery | ListParams, options: ListOptions): Promise<CountedPage<Upload>> {
  return (await runTenantList(tenant, uploadsListSpec, query, options)) as CountedPage<Upload>
}

/**
 * GET `/uploads/recent_with_errors/`: the tenant's failed uploads, newest first.
 *
 * @example
 * ```ts
 * const page = await listFailedUploads(tenant, {}, { url })
 * ```
 */
export async function listFailedUploads(tenant: ClaimsTenantScope, query: ListQuery | ListParams, options: ListOptions): Promise<CountedPage<Upload>> {
  return (await runTenantList(tenant, failedUploadsListSpec, query, options)) as CountedPage<Upload>
}
