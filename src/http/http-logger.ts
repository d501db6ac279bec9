/**
 * The logging the core needs: a pino logger (or `req.log` of pino-http) fits as is.
 * Unexpected errors are logged here, never sent to the client.
 *
 * @example
 * ```ts
 * import pino from 'pino'
 * const logger: HttpLogger = pino()
 * ```
 */
export interface HttpLogger {
  /** Logs an error with structured fields. */
  error(fields: object, message?: string): void
  /** Logs a warning with structured fields. */
  warn(fields: object, message?: string): void
}

/**
 * A logger that writes errors and warnings to `console.error` as one JSON line each.
 *
 * @example
 * ```ts
 * createHttpHandler({ upstream, logger: consoleHttpLogger })
 * ```
 */
export const consoleHttpLogger: HttpLogger = Object.freeze({
  error: (fields: object, message?: string) => console.error(JSON.stringify({ level: 'error', msg: message, ...serializable(fields) })),
  warn: (fields: object, message?: string) => console.error(JSON.stringify({ level: 'warn', msg: message, ...serializable(fields) })),
})

function serializable(fields: object): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(fields)) out[k] = v instanceof Error ? { name: v.name, message: v.message, stack: v.stack } : v
  return out
}
