/** Options of {@link measure}. */
export interface MeasureOptions {
  /** Timed runs. Default 30. */
  readonly runs?: number
  /** Untimed runs first (JIT, caches, pool). Default 5. */
  readonly warmup?: number
}

/** Timings of one measured function, in milliseconds. */
export interface Measurement {
  readonly name: string
  readonly median: number
  readonly p95: number
  readonly min: number
  readonly runs: number
  /** Every timed run, in run order. */
  readonly samples: readonly number[]
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN
  const pos = (sorted.length - 1) * q
  const lo = Math.floor(pos)
  const hi = Math.ceil(pos)
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (pos - lo)
}

/**
 * Runs `fn` `warmup` times untimed, then `runs` times one after the other, timing each
 * with `performance.now()`; reports the median and the 95th percentile.
 *
 * @example
 * ```ts
 * const m = await measure('select 1', () => sql`select 1`.execute(db), { runs: 50, warmup: 5 })
 * console.log(m.median, m.p95)
 * ```
 */
export async function measure(name: string, fn: () => Promise<unknown>, options: MeasureOptions = {}): Promise<Measurement> {
  const runs = options.runs ?? 30
  const warmup = options.warmup ?? 5
  if (!Number.isInteger(runs) || runs < 1) throw new RangeError('runs must be a positive integer')
  for (let i = 0; i < warmup; i++) await fn()
  const samples: number[] = []
  for (let i = 0; i < runs; i++) {
    const start = performance.now()
    await fn()
    samples.push(performance.now() - start)
  }
  const sorted = [...samples].sort((a, b) => a - b)
  return Object.freeze({ name, median: quantile(sorted, 0.5), p95: quantile(sorted, 0.95), min: sorted[0] as number, runs, samples })
}
