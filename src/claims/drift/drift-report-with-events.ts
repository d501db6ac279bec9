import type { DriftEvent, DriftReport } from '../core/index.js'

/**
 * A stored report with its events, read from one snapshot: what {@link getDriftReport}
 * returns. {@link presentDriftReportDetail} turns it into the body of `GET /drift/reports/{id}/`.
 *
 * @example
 * ```ts
 * const { report, events }: DriftReportWithEvents = await getDriftReport(claimsTenant(upstream, 7), 12)
 * res.json(presentDriftReportDetail(report, events))
 * ```
 */
export interface DriftReportWithEvents {
  /** The report row. */
  readonly report: DriftReport
  /** Its events, by id. */
  readonly events: DriftEvent[]
}
