import type { z } from 'zod'
import type { DriftReportDetailSchema, DriftReportSchema } from '../openapi/index.js'
import type { DriftEvent, DriftReport } from '../core/index.js'
import { presentDriftEvent } from './drift-event-presenter.js'
import { presentDate, presentTimestamp } from '../../http/index.js'

/**
 * A drift report as the API lists it (docs/http-api.md).
 *
 * @example
 * ```ts
 * const report: DriftReportJson = presentDriftReport(row)
 * ```
 */
export type DriftReportJson = Readonly<z.output<typeof DriftReportSchema>>

/**
 * A drift report with its events: the detail view and the answer of a run.
 *
 * @example
 * ```ts
 * const detail: DriftReportDetailJson = presentDriftReportDetail(report, events)
 * ```
 */
export type DriftReportDetailJson = Readonly<z.output<typeof DriftReportDetailSchema>>

/**
 * A drift report row as JSON.
 *
 * @example
 * ```ts
 * presentDriftReport(row) // { id: 2, as_of: '2026-11-01', group_by: 'payer', events_count: 1, ... }
 * ```
 */
export function presentDriftReport(row: DriftReport): DriftReportJson {
  return {
    id: row.id,
    as_of: presentDate(row.as_of),
    baseline_start: presentDate(row.baseline_start),
    baseline_end: presentDate(row.baseline_end),
    current_start: presentDate(row.current_start),
    current_end: presentDate(row.current_end),
    group_by: row.group_by,
    min_claims: Number(row.min_claims),
    alpha: Number(row.alpha),
    groups_tested: Number(row.groups_tested),
    events_count: Number(row.events_count),
    computed_at: presentTimestamp(row.computed_at)!,
    duration_ms: Number(row.duration_ms),
  }
}

/**
 * A drift report and its events as JSON (the detail view).
 *
 * @example
 * ```ts
 * presentDriftReportDetail(report, events) // { id: 2, ..., events: [{ metric: 'paid_ratio', ... }] }
 * ```
 */
export function presentDriftReportDetail(row: DriftReport, events: readonly DriftEvent[]): DriftReportDetailJson {
  return { ...presentDriftReport(row), events: events.map(presentDriftEvent) }
}
