import tCdf from '@stdlib/stats-base-dists-t-cdf'
import type { TestResult } from './two-proportion-z-test.js'

/**
 * One sample as its summary: size, mean and sample variance (n - 1 denominator), as
 * PostgreSQL's `count`, `avg` and `var_samp` give them.
 *
 * @example
 * ```ts
 * const baseline: SampleSummary = { n: 120, mean: 0.82, variance: 0.02 }
 * const current: SampleSummary = { n: 110, mean: 0.74, variance: 0.03 }
 * welchTTest(baseline, current)
 * ```
 */
export interface SampleSummary {
  /** Number of observations, >= 2. */
  readonly n: number
  /** Arithmetic mean. */
  readonly mean: number
  /** Sample variance (`var_samp`, denominator n - 1), >= 0. */
  readonly variance: number
}

/**
 * Welch's t-test result: the statistic, the p-value and the Welch–Satterthwaite degrees of freedom.
 *
 * @example
 * ```ts
 * const result: WelchResult = welchTTest({ n: 120, mean: 0.82, variance: 0.02 }, { n: 110, mean: 0.74, variance: 0.03 })
 * // { statistic: -3.816..., df: 210.8..., pValue: 0.000178... }
 * ```
 */
export interface WelchResult extends TestResult {
  /** Welch–Satterthwaite degrees of freedom. */
  readonly df: number
}

/**
 * Welch's unequal-variances t-test of H0: mean1 = mean2, two-sided, from summaries,
 * with the t distribution (so small samples get honest p-values).
 *
 * `t = (m2 - m1) / sqrt(v1/n1 + v2/n2)`,
 * `df = (v1/n1 + v2/n2)^2 / ((v1/n1)^2/(n1-1) + (v2/n2)^2/(n2-1))`,
 * `p-value = 2 * T_df(-|t|)`. Same as R's `t.test(a, b)` (Welch is R's default) and
 * SciPy's `ttest_ind(a, b, equal_var=False)`. Where both variances are 0 the test is
 * degenerate: equal means give p-value 1, different means p-value 0.
 *
 * @example
 * ```ts
 * welchTTest({ n: 15, mean: 20.82, variance: 7.90 }, { n: 15, mean: 22.99, variance: 3.76 })
 * // { statistic: 2.46..., df: 24.9..., pValue: 0.021... }
 * ```
 */
export function welchTTest(first: SampleSummary, second: SampleSummary): WelchResult {
  for (const s of [first, second]) {
    if (!(s.n >= 2) || !(s.variance >= 0) || !Number.isFinite(s.mean)) {
      throw new RangeError(`Invalid sample for Welch's t-test: n=${s.n}, mean=${s.mean}, variance=${s.variance}.`)
    }
  }
  const a = first.variance / first.n
  const b = second.variance / second.n
  const se2 = a + b
  const diff = second.mean - first.mean
  if (!(se2 > 0)) {
    return diff === 0 ? { statistic: 0, df: first.n + second.n - 2, pValue: 1 } : { statistic: Math.sign(diff) * Infinity, df: first.n + second.n - 2, pValue: 0 }
  }
  const t = diff / Math.sqrt(se2)
  const df = (se2 * se2) / ((a * a) / (first.n - 1) + (b * b) / (second.n - 1))
  return { statistic: t, df, pValue: Math.min(1, 2 * tCdf(-Math.abs(t), df)) }
}
