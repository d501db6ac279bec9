import type { DriftSeverity } from '../db/database.js'

/** Floating-point slack on the |delta| thresholds, so 0.30 - 0.28 counts as 0.02. */
export const DRIFT_DELTA_TOLERANCE = 1e-12

/** The smallest |delta| (absolute change of a rate or ratio) that makes an event: 0.02. */
export const DRIFT_MIN_DELTA = 0.02
/** |delta| from which an event is at least `medium`: 0.05. */
export const DRIFT_MEDIUM_DELTA = 0.05
/** |delta| from which an event can be `high`: 0.10 (with adjusted p below alpha / 10). */
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
