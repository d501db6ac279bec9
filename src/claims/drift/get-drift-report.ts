import { NotFoundError } from '../../errors/index.js'
import { readFailure, tenantReadOptions } from '../../tenancy/internal.js'
import type { ClaimsTenantScope } from '../core/index.js'
import type { DriftReportWithEvents } from './drift-report-with-events.js'

/**
 * One report of the tenant with its events. Both are read in ONE repeatable-read,
 * read-only transaction (one snapshot), so a concurrent `force` run that replaces the
 * report can never make it appear without its events: the reader sees the old report
 * with the old events, or a {@link errors!NotFoundError} once the replacement committed.
 *
 * @throws {@link errors!NotFoundError} when the id is missing, malformed or another tenant's.
 *
 * @example
 * ```ts
 * const { report, events } = await getDriftReport(claimsTenant(upstream, 7), 12)
 * ```
 */
export async function getDriftReport(tenant: ClaimsTenantScope, id: number): Promise<DriftReportWithEvents> {
  if (!Number.isSafeInteger(id) || id < 1) throw new NotFoundError('drift_reports', id)
  return tenant.transaction(
    async ({ driftReports }) => {
      const report = await driftReports.getById(id)
      const events = await driftReports.events(report.id)
      return { report, events }
    },
    // bounded as every tenant read is (the database's read timeouts), in one snapshot
    { ...tenantReadOptions(tenant.upstream), isolation: 'repeatable read' },
  ).catch((error: unknown) => {
    throw readFailure(error)
  })
}
