import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Logger } from 'pino'
import type { HttpLogger } from '@upstreamjs/upstream/http'
import { requestIdOf } from './request-id.js'

/**
 * Per-request logging for the examples, cheaper than pino-http: sets `x-request-id` (the
 * client's, when safe, else a new UUID), answers a logger bound to `{ reqId }` whose pino child
 * is only made when something is logged, and writes one `request completed` line (method, url,
 * status, response time) when the response finishes, only if the logger's `info` level is on.
 *
 * @example
 * ```ts
 * app.use((req, res, next) => {
 *   res.locals.log = requestLogger(logger, req, res)
 *   next()
 * })
 * ```
 */
export function requestLogger(logger: Logger, req: IncomingMessage, res: ServerResponse, url = req.url ?? '/'): HttpLogger {
  const started = performance.now()
  const id = requestIdOf(req.headers)
  res.setHeader('x-request-id', id)
  let child: Logger | undefined
  const log = () => (child ??= logger.child({ reqId: id }))
  if (logger.isLevelEnabled('info')) {
    res.once('finish', () =>
      log().info({ req: { method: req.method, url }, res: { statusCode: res.statusCode }, responseTime: Math.round(performance.now() - started) }, 'request completed'),
    )
  }
  return {
    error: (fields, message) => log().error(fields, message),
    warn: (fields, message) => log().warn(fields, message),
  }
}
