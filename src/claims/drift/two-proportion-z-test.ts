import normalCdf from '@stdlib/stats-base-dists-normal-cdf'

/**
 * The result of a two-sided test: the statistic and its p-value.
 *
 * @example
 * ```ts
 * const { statistic, pValue }: TestResult = twoProportionZTest(12, 120, 33, 110)
 * // statistic 3.819... (the second sample's rate is higher), pValue 0.000134...
 * ```
 */
export interface TestResult {
  /** The test statistic (z or t), signed as `second - first`. */
  readonly statistic: number
  /** The two-sided p-value, in [0, 1]. */
  readonly pValue: number
}

/**
 * The pooled two-proportion z-test of H0: p1 = p2, two-sided.
 *
 * `z = (p2 - p1) / sqrt(p (1 - p) (1/n1 + 1/n2))` with the pooled `p = (x1 + x2) / (n1 + n2)`,
 * and `p-value = 2 * Phi(-|z|)`. Equivalent to R's `prop.test(c(x1, x2), c(n1, n2), correct = FALSE)`
 * (whose X-squared is `z^2`). Where the pooled proportion is 0 or 1 both samples agree
 * exactly: `z = 0`, p-value 1.
 *
 * @param x1 - successes (for drift: denied claims) in the first sample (baseline)
 * @param n1 - size of the first sample (adjudicated claims), > 0
 * @param x2 - successes in the second sample (current)
 * @param n2 - size of the second sample, > 0
 *
 * @example
 * ```ts
 * twoProportionZTest(10, 100, 30, 100) // { statistic: 3.5355..., pValue: 0.000407... }
 * ```
 */
export function twoProportionZTest(x1: number, n1: number, x2: number, n2: number): TestResult {
  if (!(n1 > 0 && n2 > 0) || x1 < 0 || x2 < 0 || x1 > n1 || x2 > n2) {
    throw new RangeError(`Invalid counts for a two-proportion test: ${x1}/${n1}, ${x2}/${n2}.`)
  }
  const pooled = (x1 + x2) / (n1 + n2)
  const variance = pooled * (1 - pooled) * (1 / n1 + 1 / n2)
  if (!(variance > 0)) return { statistic: 0, pValue: 1 }
  const z = (x2 / n2 - x1 / n1) / Math.sqrt(variance)
  return { statistic: z, pValue: Math.min(1, 2 * normalCdf(-Math.abs(z), 0, 1)) }
}
