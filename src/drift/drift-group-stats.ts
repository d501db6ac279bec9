/** The aggregates of one group in one window, as PostgreSQL computed them. */
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

/** One group (a payer, or a payer and CPT code) with its baseline and current aggregates. */
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
