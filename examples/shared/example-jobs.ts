import type { Logger } from 'pino'
import type { ClaimsJobsOptions } from '@upstreamjs/upstream/claims'

function nonNegative(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name]
  if (raw === undefined || raw === '') return undefined
  const n = Number(raw)
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, not ${JSON.stringify(raw)}`)
  return n
}

/**
 * The background-job settings the example server and the example worker share (they must
 * agree on the durable subscribers' names): a drift run after uploads (`DRIFT_AFTER_UPLOAD=off`
 * turns it off; `DRIFT_DELAY_MS`, default 10 s) and one durable drift subscriber, `log`,
 * which writes each new report to the worker's log (replace it with mail, a webhook...).
 *
 * @example
 * ```ts
 * const jobs = exampleJobs(logger, process.env)
 * createApp({ upstream, http: { jobs } })                        // the server enqueues
 * runJobWorker({ upstream, tasks: claimsJobTasks(upstream, jobs) }) // the worker runs
 * ```
 */
export function exampleJobs(logger: Logger, env: NodeJS.ProcessEnv = process.env): ClaimsJobsOptions {
  const delay = nonNegative(env, 'DRIFT_DELAY_MS')
  return {
    driftAfterUpload: env.DRIFT_AFTER_UPLOAD === 'off' ? false : {},
    ...(delay !== undefined ? { driftDelayMs: delay } : {}),
    driftSubscribers: {
      log: async ({ customerId, report, events, replaced }) => {
        logger.info({ customerId, reportId: report.id, asOf: report.as_of, events: events.length, replaced }, 'drift report')
      },
    },
  }
}
