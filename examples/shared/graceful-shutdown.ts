import type { Server } from 'node:http'
import type { Logger } from 'pino'

/**
 * Options of {@link shutDownGracefully}.
 *
 * @example
 * ```ts
 * shutDownGracefully(server, { logger, onClosed: () => upstream.destroy(), timeoutMs: 30_000 })
 * ```
 */
export interface GracefulShutdownOptions {
  /** Logs the shutdown. */
  readonly logger: Logger
  /** Runs once the server has stopped (close the pool here). */
  readonly onClosed: () => Promise<void>
  /** In-flight requests get this long before their connections are cut. Default 10 s. */
  readonly timeoutMs?: number
  /** The signals to stop on. Default SIGTERM and SIGINT. */
  readonly signals?: readonly NodeJS.Signals[]
}

/**
 * Graceful shutdown on SIGTERM/SIGINT: stop accepting connections, close idle keep-alive
 * connections, let in-flight requests finish (cut after `timeoutMs`), then `onClosed`
 * (close the pool) and exit. Returns the function that runs it (for tests and scripts).
 *
 * @example
 * ```ts
 * const stop = shutDownGracefully(server, { logger, onClosed: () => upstream.destroy() })
 * ```
 */
export function shutDownGracefully(server: Server, options: GracefulShutdownOptions): (reason: string) => Promise<void> {
  let closing: Promise<void> | undefined
  const stop = (reason: string): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      options.logger.info({ reason }, 'shutting down: no new connections, finishing in-flight requests')
      const force = setTimeout(() => {
        options.logger.warn('in-flight requests did not finish in time; closing their connections')
        server.closeAllConnections()
      }, options.timeoutMs ?? 10_000)
      force.unref()
      // connections of in-flight requests turn idle (keep-alive) once answered: close them then
      const sweep = setInterval(() => server.closeIdleConnections(), 50)
      sweep.unref()
      server.close((error) => {
        clearTimeout(force)
        clearInterval(sweep)
        if (error) options.logger.error({ err: error }, 'server close failed')
        options
          .onClosed()
          .catch((e: unknown) => options.logger.error({ err: e }, 'cleanup failed'))
          .finally(() => {
            options.logger.info('stopped')
            resolve()
          })
      })
      server.closeIdleConnections()
    })
    return closing
  }
  for (const signal of options.signals ?? ['SIGTERM', 'SIGINT']) {
    process.once(signal, () => void stop(signal).then(() => process.exit(0)))
  }
  return stop
}
