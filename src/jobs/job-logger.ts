import type { LogFunctionFactory, Logger } from 'graphile-worker'

/**
 * Where the job machinery logs: a pino logger fits as it is (`logger.info(fields, message)`).
 *
 * @example
 * ```ts
 * import { pino } from 'pino'
 * const logger: JobLogger = pino({ name: 'upstream-worker' })
 * await runJobWorker({ upstream, tasks, logger })
 * ```
 */
export interface JobLogger {
  error(fields: Record<string, unknown>, message: string): void
  warn(fields: Record<string, unknown>, message: string): void
  info(fields: Record<string, unknown>, message: string): void
  debug?(fields: Record<string, unknown>, message: string): void
}

/**
 * A {@link JobLogger} that drops everything.
 *
 * @example
 * ```ts
 * await migrateJobQueue(upstream, { logger: silentJobLogger })
 * ```
 */
export const silentJobLogger: JobLogger = Object.freeze({ error: () => {}, warn: () => {}, info: () => {}, debug: () => {} })

/**
 * graphile-worker's `Logger` writing to a {@link JobLogger}: its scope (worker id, task, job
 * id) and metadata become fields. graphile-worker is loaded here, on first use, never on
 * import of the module. Internal.
 *
 * @example
 * ```ts
 * run({ ..., logger: await toGraphileLogger(pino()) })
 * ```
 */
export async function toGraphileLogger(logger: JobLogger): Promise<Logger> {
  const { Logger: GraphileLogger } = await import('graphile-worker')
  const factory: LogFunctionFactory = (scope) => (level, message, meta) => {
    const fields: Record<string, unknown> = { ...scope }
    if (meta) {
      // graphile-worker passes whole job and worker objects as metadata: keep the short facts
      const m = meta as Record<string, unknown>
      const job = m.job as { id?: unknown; task_identifier?: unknown; attempts?: unknown; max_attempts?: unknown } | undefined
      if (job) Object.assign(fields, { jobId: job.id, task: job.task_identifier, attempt: job.attempts, maxAttempts: job.max_attempts })
      if (m.error !== undefined) fields.err = m.error
      if (typeof m.duration === 'number') fields.durationMs = Math.round(m.duration)
    }
    if (level === 'error') logger.error(fields, message)
    else if (level === 'warning') logger.warn(fields, message)
    else if (level === 'info') logger.info(fields, message)
    else logger.debug?.(fields, message)
  }
  return new GraphileLogger(factory)
}
