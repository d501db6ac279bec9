import type { ClaimsDatabase } from '../../src/claims/index.js'
import type { UpstreamDatabase } from '../../src/db/upstream-database.js'
import type { SeededCustomer } from '../../scripts/seed/seed-database.js'
import type { MeasureOptions, Measurement } from './measure.js'

/**
 * What every `bench/*.bench.ts` receives: the seeded `bench` schema (10 customers x
 * 100,000 claims), its URL and customers, and the timing and reporting helpers.
 *
 * @example
 * ```ts
 * export default async function (ctx: BenchContext) {
 *   const a = await ctx.measure('plain', () => query(), { runs: 50 })
 *   ctx.report([a])
 * }
 * ```
 */
export interface BenchContext {
  /** The database, schema `bench`, seeded. */
  readonly upstream: UpstreamDatabase<ClaimsDatabase>
  /** The PostgreSQL URL (for benches that need their own connections or servers). */
  readonly url: string
  /** The seeded customers with their tokens. */
  readonly customers: readonly SeededCustomer[]
  /** Median-of-N timing; see {@link measure}. */
  measure(name: string, fn: () => Promise<unknown>, options?: MeasureOptions): Promise<Measurement>
  /** Prints a table with every median's ratio to `baseline` (a row name; default the first row). */
  report(rows: readonly Measurement[], baseline?: string): void
}
