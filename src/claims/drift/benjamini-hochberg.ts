/**
 * Benjamini–Hochberg adjusted p-values (the step-up false discovery rate procedure,
 * Benjamini & Hochberg 1995), in the input order; R's `p.adjust(p, "BH")`.
 *
 * With the m p-values sorted ascending, `adj(i) = min over j >= i of min(1, m / j * p(j))`.
 * Rejecting every hypothesis whose adjusted p-value is below `q` is the BH procedure at level `q`.
 *
 * @example
 * ```ts
 * benjaminiHochberg([0.01, 0.04, 0.03, 0.005]) // [0.02, 0.04, 0.04, 0.02]
 * ```
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const m = pValues.length
  for (const p of pValues) {
    if (!(p >= 0 && p <= 1)) throw new RangeError(`A p-value must be within [0, 1], got ${p}.`)
  }
  const order = pValues.map((p, i) => ({ p, i })).sort((x, y) => x.p - y.p || x.i - y.i)
  const adjusted = new Array<number>(m)
  let running = 1
  for (let rank = m; rank >= 1; rank--) {
    const { p, i } = order[rank - 1]!
    running = Math.min(running, (m / rank) * p)
    adjusted[i] = running
  }
  return adjusted
}
