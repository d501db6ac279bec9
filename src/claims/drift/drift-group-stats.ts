/**
 * The aggregates of one group in one window, as PostgreSQL computed them.
 *
 * @example
 * ```ts
 * const baseline: DriftWindowStats = { adjudicated: 120, denied: 12, ratio_n: 108, ratio_mean: 0.82, ratio_variance: 0.02 }
 * baseline.denied / baseline.adjudicated // denial rate 0.1
 * ```
 */
export interface DriftWindowStats {
  /** Adjudicated claims (status paid, denied or adjusted): the denial rate's denominator and the `min_claims` count. */
  readonly adjudicated: number
  /** Denied claims. */
  readonly denied: number
  /** Paid and adjusted claims with `billed_amount > 0` and a `paid_amount`: the paid ratio's sample size. */
  readonly ratio_n: number
  /** Mean of `paid_amount / billed_amount` over those claims, or `null` when there are none. */
  readonly ratio_mean: number | null
  /** Sample variance (`var_samp`) of `paid_amount / billed_amount`, or `null` below two claims. */
  readonly ratio_variance: number | null
}

/**
 * One group (a payer, or a payer and CPT code) with its baseline and current aggregates:
 * a row of {@link queryDriftAggregates}, the input of {@link analyzeDrift}.
 *
 * @example
 * ```ts
 * const group: DriftGroupStats = {
 *   payer_name: 'Aetna',
 *   cpt_code: null, // grouped by payer
 *   baseline: { adjudicated: 120, denied: 12, ratio_n: 108, ratio_mean: 0.82, ratio_variance: 0.02 },
 *   current: { adjudicated: 110, denied: 33, ratio_n: 77, ratio_mean: 0.8, ratio_variance: 0.02 },
 * }
 * analyzeDrift([group], { min_claims: 30, alpha: 0.05 }).events // one event: denial_rate 0.1 -> 0.3, severity 'high'
 * ```
 */
export interface DriftGroupStats {
  /** The payer. */
  readonly payer_name: string
  /** The CPT code when grouping by `payer_cpt`, else `null`. */
  readonly cpt_code: string | null
  /** The baseline window's aggregates. */
  readonly baseline: DriftWindowStats
  /** The current window's aggregates. */
  readonly current: DriftWindowStats
}
