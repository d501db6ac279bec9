import type { DriftEvent, DriftReport } from '../core/index.js'
import type { CountedPage } from '../../list-query/index.js'
import type { ListParams, ListQuery } from '../../list-query/index.js'
import type { ClaimsTenantScope } from '../core/index.js'
import { driftEventsListSpec, driftReportsListSpec } from './drift-list-specs.js'
import type { ListOptions } from '../../list-query/index.js'
import { runTenantList } from '../../list-query/index.js'

/**
 * GET `/drift/reports/`: the tenant's drift reports, newest first by default.
 *
 * @example
 * ```ts
 * const page = await listDriftReports(tenant, {}, { url })
 * ```
 */
export async function listDriftReports(tenant: ClaimsTenantScope, query: ListQuery | ListParams, options: ListOptions): Promise<CountedPage<DriftReport>> {
  return (await runTenantList(tenant, driftReportsListSpec, query, options)) as CountedPage<DriftReport>
}

/**
 * GET `/drift/events/`: the tenant's drift events as {@link driftEventsListSpec} describes.
 *
 * @example
 * ```ts
 * const page = await listDriftEvents(tenant, { severity: ['high', 'medium'], ordering: 'p_value' }, { url })
 * ```
 */
export async function listDriftEvents(tenant: ClaimsTenantScope, query: ListQuery | ListParams, options: ListOptions): Promise<CountedPage<DriftEvent>> {
  return (await runTenantList(tenant, driftEventsListSpec, query, options)) as CountedPage<DriftEvent>
}
