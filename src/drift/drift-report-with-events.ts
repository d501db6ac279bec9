import type { DriftEvent, DriftReport } from '../db/database.js'

/** A stored report with its events, read from one snapshot. */
export interface DriftReportWithEvents {
  /** The report row. */
  readonly report: DriftReport
  /** Its events, by id. */
  readonly events: DriftEvent[]
}
