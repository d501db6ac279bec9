import type { DriftParams } from './drift-params-schema.js'

/**
 * The two windows of a run, as `YYYY-MM-DD` dates; every start is inclusive, every end
 * exclusive, and the baseline ends where the current window starts. Made by {@link driftWindows}.
 *
 * @example
 * ```ts
 * const w: DriftWindows = driftWindows({ as_of: '2026-06-01', baseline_days: 90, current_days: 30 })
 * // baseline: service_date >= '2026-02-01' and service_date < '2026-05-02'
 * // current:  service_date >= '2026-05-02' and service_date < '2026-06-01'
 * ```
 */
export interface DriftWindows {
  /** The run's reference date: the current window ends here (exclusive). */
  readonly as_of: string
  /** `as_of - current_days - baseline_days`. */
  readonly baseline_start: string
  /** `as_of - current_days` (= `current_start`). */
  readonly baseline_end: string
  /** `as_of - current_days`. */
  readonly current_start: string
  /** `as_of`. */
  readonly current_end: string
}

const DAY_MS = 86_400_000

function shift(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  return new Date(Date.UTC(y, m - 1, d) + days * DAY_MS).toISOString().slice(0, 10)
}

/**
 * The windows of the drift detection guide, on `service_date`: current `[as_of - current_days, as_of)`,
 * baseline `[as_of - current_days - baseline_days, as_of - current_days)`. Calendar days in UTC.
 *
 * @example
 * ```ts
 * driftWindows({ as_of: '2026-06-01', baseline_days: 90, current_days: 30 })
 * // { as_of: '2026-06-01', baseline_start: '2026-02-01', baseline_end: '2026-05-02',
 * //   current_start: '2026-05-02', current_end: '2026-06-01' }
 * ```
 */
export function driftWindows(params: Pick<DriftParams, 'as_of' | 'baseline_days' | 'current_days'>): DriftWindows {
  const currentStart = shift(params.as_of, -params.current_days)
  return Object.freeze({
    as_of: params.as_of,
    baseline_start: shift(currentStart, -params.baseline_days),
    baseline_end: currentStart,
    current_start: currentStart,
    current_end: params.as_of,
  })
}
