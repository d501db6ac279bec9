import type { DriftSeverity } from '../core/index.js'

/**
 * Floating-point slack on the |delta| thresholds (`1e-12`), so 0.30 - 0.28 counts as 0.02.
 *
 * @example
 * ```ts
 * 0.3 - 0.28 // 0.019999999999999962
 * Math.abs(0.3 - 0.28) >= DRIFT_MIN_DELTA - DRIFT_DELTA_TOLERANCE // true: an event, as intended
 * ```
 */
export const DRIFT_DELTA_TOLERANCE = 1e-12

/**
 * The smallest |delta| (absolute change of a rate or ratio) that makes an event: 0.02.
 *
 * @example
 * ```ts
 * // a denial rate from 10% to 11.5% is significant perhaps, but no event: |delta| 0.015 < 0.02
 * const isLargeEnough = (delta: number) => Math.abs(delta) >= DRIFT_MIN_DELTA - DRIFT_DELTA_TOLERANCE
 * ```
 */
export const DRIFT_MIN_DELTA = 0.02
/**
 * |delta| from which an event is at least `medium`: 0.05.
 *
 * @example
 * ```ts
 * driftSeverity(0.049, 1e-6, 0.05) // 'low'
 * driftSeverity(0.05, 1e-6, 0.05) // 'medium'
 * ```
 */
export const DRIFT_MEDIUM_DELTA = 0.05
/**
 * |delta| from which an event can be `high`: 0.10 (with adjusted p below alpha / 10).
 *
 * @example
 * ```ts
 * driftSeverity(0.1, 0.001, 0.05) // 'high' (0.001 < 0.05 / 10)
 * driftSeverity(0.1, 0.01, 0.05) // 'medium' (evidence too weak for high)
 * ```
 */
export const DRIFT_HIGH_DELTA = 0.1

/**
 * The severity of a significant change (adjusted p-value below `alpha`, |delta| >= 0.02):
 *
 * | severity | when |
 * |---|---|
 * | `high` | \|delta\| >= 0.10 and adjusted p < alpha / 10 |
 * | `medium` | \|delta\| >= 0.05 (and not high) |
 * | `low` | 0.02 <= \|delta\| < 0.05 |
 *
 * A large change backed by only borderline evidence stays `medium`.
 *
 * @example
 * ```ts
 * driftSeverity(0.2, 1e-9, 0.05) // 'high'
 * driftSeverity(-0.07, 0.001, 0.05) // 'medium'
 * driftSeverity(0.12, 0.02, 0.05) // 'medium' (evidence too weak for high)
 * ```
 */
export function driftSeverity(delta: number, adjustedPValue: number, alpha: number): DriftSeverity {
  const size = Math.abs(delta) + DRIFT_DELTA_TOLERANCE
  if (size >= DRIFT_HIGH_DELTA && adjustedPValue < alpha / 10) return 'high'
  if (size >= DRIFT_MEDIUM_DELTA) return 'medium'
  return 'low'
}
