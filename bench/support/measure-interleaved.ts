import { measure, type Measurement } from './measure.js'

/** Options of {@link measureInterleaved}. */
export interface InterleavedOptions {
  /** Rounds; each round runs every variant `runsPerRound` times, in turn. Default 10. */
  readonly rounds?: number
  /** Timed runs of a variant per round. Default 20. */
  readonly runsPerRound?: number
  /** Untimed runs of each variant before the first round. Default 10. */
  readonly warmup?: number
}

/**
 * Measures several variants of the same work in rotation (A x n, B x n, C x n, A x n, ...),
 * so a burst of load on a shared machine hits every variant alike; returns one
 * {@link Measurement} per variant over all its samples, in the order given.
 *
 * @example
 * ```ts
 * const [bare, tenant] = await measureInterleaved({ bare: () => q(db), tenant: () => t.read(({ db }) => q(db)) })
 * report([bare, tenant], 'bare')
 * ```
 */
export async function measureInterleaved(variants: Readonly<Record<string, () => Promise<unknown>>>, options: InterleavedOptions = {}): Promise<Measurement[]> {
  const rounds = options.rounds ?? 10
  const runsPerRound = options.runsPerRound ?? 20
  const names = Object.keys(variants)
  const samples = new Map<string, number[]>(names.map((n) => [n, []]))
  for (const name of names) await measure(name, variants[name] as () => Promise<unknown>, { runs: 1, warmup: options.warmup ?? 10 })
  for (let round = 0; round < rounds; round++) {
    for (const name of names) {
      const m = await measure(name, variants[name] as () => Promise<unknown>, { runs: runsPerRound, warmup: 0 })
      samples.get(name)?.push(...m.samples)
    }
  }
  return names.map((name) => {
    const all = samples.get(name) ?? []
    const sorted = [...all].sort((a, b) => a - b)
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.round((sorted.length - 1) * q))] as number
    return Object.freeze({ name, median: at(0.5), p95: at(0.95), min: sorted[0] as number, runs: all.length, samples: all })
  })
}
