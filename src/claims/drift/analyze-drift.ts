import type { DriftMetric } from '../core/index.js'
import type { DriftEventInput } from '../repositories/index.js'
import { benjaminiHochberg } from './benjamini-hochberg.js'
import type { DriftGroupStats } from './drift-group-stats.js'
import { DRIFT_DELTA_TOLERANCE, DRIFT_MIN_DELTA, driftSeverity } from './drift-severity.js'
import { twoProportionZTest } from './two-proportion-z-test.js'
import { welchTTest } from './welch-t-test.js'

/**
 * One hypothesis test of a run: a metric of a group, baseline against current. Every test
 * is kept (in {@link DriftAnalysis.tests}), significant or not; the events are a subset.
 *
 * @example
 * ```ts
 * const { tests } = analyzeDrift(groups, { min_claims: 30, alpha: 0.05 })
 * tests[0]
 * // { payer_name: 'Aetna', cpt_code: null, metric: 'denial_rate', baseline_value: 0.1, current_value: 0.3,
 * //   delta: 0.2, baseline_n: 120, current_n: 110, statistic: 3.819..., p_value: 0.000134..., adjusted_p_value: 0.000268... }
 * ```
 */
export interface DriftTest {
  /** The payer. */
  readonly payer_name: string
  /** The CPT code, or `null` when grouping by payer. */
  readonly cpt_code: string | null
  /** `denial_rate` (z-test) or `paid_ratio` (Welch's t-test). */
  readonly metric: DriftMetric
  /** The metric in the baseline window. */
  readonly baseline_value: number
  /** The metric in the current window. */
  readonly current_value: number
  /** `current_value - baseline_value`. */
  readonly delta: number
  /** The sample size behind `baseline_value`: adjudicated claims (denial rate) or ratio claims (paid ratio). */
  readonly baseline_n: number
  /** The sample size behind `current_value`. */
  readonly current_n: number
  /** z or t. */
  readonly statistic: number
  /** The raw two-sided p-value. */
  readonly p_value: number
  /** The Benjamini–Hochberg adjusted p-value over every test of the run. */
  readonly adjusted_p_value: number
}

/**
 * What {@link analyzeDrift} concludes from a run's aggregates.
 *
 * @example
 * ```ts
 * const analysis: DriftAnalysis = analyzeDrift(groups, { min_claims: 30, alpha: 0.05 })
 * console.log(`${analysis.groups_tested} groups, ${analysis.tests.length} tests, ${analysis.events.length} events`)
 * ```
 */
export interface DriftAnalysis {
  /** Groups where both windows hold at least `min_claims` adjudicated claims. */
  readonly groups_tested: number
  /** Every test run, in group order (denial rate first), with raw and adjusted p-values. */
  readonly tests: readonly DriftTest[]
  /** The tests that are events: adjusted p-value below alpha and |delta| >= 0.02, with their severity. */
  readonly events: readonly DriftEventInput[]
}

/**
 * The decision thresholds of {@link analyzeDrift}. A parsed {@link DriftParams} has both
 * fields, so it can be passed as it is.
 *
 * @example
 * ```ts
 * const thresholds: DriftThresholds = { min_claims: 50, alpha: 0.01 } // stricter than the defaults (30, 0.05)
 * analyzeDrift(groups, thresholds)
 * ```
 */
export interface DriftThresholds {
  /** A group is tested only where both windows hold at least this many adjudicated claims. */
  readonly min_claims: number
  /** False discovery rate level for Benjamini–Hochberg. */
  readonly alpha: number
}

type PendingTest = Omit<DriftTest, 'adjusted_p_value'>

/**
 * The statistical core of drift detection, pure and synchronous: from per-group window
 * aggregates to tests, Benjamini–Hochberg adjusted p-values and events.
 *
 * - A group is tested only where BOTH windows hold at least `min_claims` adjudicated claims.
 * - `denial_rate` = denied / adjudicated, pooled two-proportion z-test.
 * - `paid_ratio` = mean of paid/billed over paid and adjusted claims with billed > 0,
 *   Welch's t-test; run only where each window has at least 2 such claims (a variance needs two).
 * - Every p-value of the run is adjusted together (BH); an event is a test with adjusted
 *   p-value < alpha and |delta| >= {@link DRIFT_MIN_DELTA}; severity by {@link driftSeverity}.
 *
 * @example
 * ```ts
 * const analysis = analyzeDrift(groups, { min_claims: 30, alpha: 0.05 })
 * analysis.events // [{ payer_name: 'Aetna', metric: 'denial_rate', delta: 0.2, severity: 'high', ... }]
 * ```
 */
export function analyzeDrift(groups: readonly DriftGroupStats[], thresholds: DriftThresholds): DriftAnalysis {
  const pending: PendingTest[] = []
  let groupsTested = 0
  for (const g of groups) {
    const { baseline: b, current: c } = g
    if (b.adjudicated < thresholds.min_claims || c.adjudicated < thresholds.min_claims) continue
    groupsTested++
    const base = { payer_name: g.payer_name, cpt_code: g.cpt_code }

    const rateB = b.denied / b.adjudicated
    const rateC = c.denied / c.adjudicated
    const z = twoProportionZTest(b.denied, b.adjudicated, c.denied, c.adjudicated)
    pending.push({
      ...base, metric: 'denial_rate', baseline_value: rateB, current_value: rateC, delta: rateC - rateB,
      baseline_n: b.adjudicated, current_n: c.adjudicated, statistic: z.statistic, p_value: z.pValue,
    })

    if (b.ratio_n >= 2 && c.ratio_n >= 2 && b.ratio_mean !== null && c.ratio_mean !== null && b.ratio_variance !== null && c.ratio_variance !== null) {
      const t = welchTTest(
        { n: b.ratio_n, mean: b.ratio_mean, variance: Math.max(0, b.ratio_variance) },
        { n: c.ratio_n, mean: c.ratio_mean, variance: Math.max(0, c.ratio_variance) },
      )
      pending.push({
        ...base, metric: 'paid_ratio', baseline_value: b.ratio_mean, current_value: c.ratio_mean, delta: c.ratio_mean - b.ratio_mean,
        baseline_n: b.ratio_n, current_n: c.ratio_n, statistic: t.statistic, p_value: t.pValue,
      })
    }
  }
  const adjusted = benjaminiHochberg(pending.map((t) => t.p_value))
  const tests = pending.map((t, i) => ({ ...t, adjusted_p_value: adjusted[i]! }))
  const events = tests
    .filter((t) => t.adjusted_p_value < thresholds.alpha && Math.abs(t.delta) >= DRIFT_MIN_DELTA - DRIFT_DELTA_TOLERANCE)
    .map(({ statistic: _statistic, ...t }) => ({ ...t, severity: driftSeverity(t.delta, t.adjusted_p_value, thresholds.alpha) }))
  return { groups_tested: groupsTested, tests, events }
}
