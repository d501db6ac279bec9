import type { DriftParamsInput, DriftSubscriber } from '../drift/index.js'

/**
 * What the claims domain does with background jobs, shared by the API process (which
 * enqueues) and the worker (which runs): give both the same value, from one module of your app.
 *
 * @example
 * ```ts
 * // jobs.ts, imported by the server and by the worker
 * export const jobs: ClaimsJobsOptions = {
 *   driftAfterUpload: { group_by: 'payer_cpt', min_claims: 50 },
 *   driftDelayMs: 30_000,
 *   driftSubscribers: { slack: async ({ customerId, events }) => postToSlack(customerId, events) },
 * }
 * createHttpHandler({ upstream, jobs })              // the API
 * runJobWorker({ upstream, tasks: claimsJobTasks(upstream, jobs) }) // the worker
 * ```
 */
export interface ClaimsJobsOptions {
  /**
   * After each successful upload, schedule the tenant's drift run with these parameters
   * (always `force: true`, so the day's report is recomputed with the new claims; `as_of`
   * defaults to the day the run starts). `false` turns it off. Default `{}` (the defaults).
   */
  readonly driftAfterUpload?: DriftParamsInput | false
  /**
   * The drift run starts this long after the first successful upload of a burst; uploads in
   * the meantime join that run (one pending run per tenant, by job key). Default 10,000 ms.
   */
  readonly driftDelayMs?: number
  /**
   * Durable drift subscribers, by name: every new report (from a drift run job or from
   * `POST /drift/reports/`) enqueues one job per name in the report's own transaction; each
   * runs in a worker and is retried with backoff until it succeeds (25 attempts). Names must
   * be stable: the job carries the name, the worker looks the function up by it.
   */
  readonly driftSubscribers?: Readonly<Record<string, DriftSubscriber>>
}

/** The drift delay used when none is given: 10 s. */
export const DEFAULT_DRIFT_DELAY_MS = 10_000
