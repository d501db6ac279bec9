import type { ClaimCsvRow } from './claim-csv-row-schema.js'

/**
 * Where validated rows go on their way to the staging table: a COPY stream on PostgreSQL,
 * batched INSERTs elsewhere. `add` returns a promise only when the caller must wait
 * (backpressure); otherwise it returns `undefined` and the caller goes on synchronously.
 *
 * @example
 * ```ts
 * const pending = sink.add(2, row)
 * if (pending) await pending
 * await sink.finish()
 * ```
 */
export interface StagingSink {
  /** Queues one row (with its file line). */
  add(line: number, row: ClaimCsvRow): Promise<void> | undefined
  /** Writes what is queued and completes the load into the staging table. */
  finish(): Promise<void>
  /** Abandons the load after a failure; never throws. */
  abort(reason: unknown): Promise<void>
}
