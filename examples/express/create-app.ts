import express, { type Express, type NextFunction, type Request, type Response } from 'express'
import { pino, type Logger } from 'pino'
import { type ClaimsDatabase, type ClaimsHttpHandlerOptions, createClaimsHttpHandler } from '@upstreamjs/upstream/claims'
import type { UpstreamDatabase } from '@upstreamjs/upstream/db'
import { type HttpLogger, closeConnection, fromNodeRequest, writeNodeResponse } from '@upstreamjs/upstream/http'
import { createAppMetrics, type AppMetrics } from '../shared/metrics.js'
import { frameworkErrorBody } from '../shared/error-body.js'
import { requestLogger } from '../shared/request-logger.js'

/**
 * Options of the Express example's {@link createApp}.
 *
 * @example
 * ```ts
 * const app = createApp({ upstream, logger: pino(), http: { throttle: { capacity: 60, refillPerSecond: 1 } } })
 * ```
 */
export interface ExpressAppOptions {
  readonly upstream: UpstreamDatabase<ClaimsDatabase>
  /** Default: a silent pino logger. */
  readonly logger?: Logger
  /** Default: fresh metrics in a registry of their own. */
  readonly metrics?: AppMetrics
  /** Core options (throttle, permission, authenticate, limits...). */
  readonly http?: Omit<ClaimsHttpHandlerOptions, 'upstream' | 'logger'>
}

/**
 * The Express 5 example: the upstream API under `/api/v1` (the framework-free core in a
 * screen of glue), pino logs with a request id, `X-Content-Type-Options: nosniff` on every
 * response, and JSON for Express's own errors (never its HTML page with a stack). Metrics
 * are served on a port of their own (see `startMetricsServer`), never here.
 *
 * @example
 * ```ts
 * const app = createApp({ upstream })
 * await request(app).get('/api/v1/claims/').set('Authorization', `Bearer ${token}`)
 * ```
 */
export function createApp(options: ExpressAppOptions): Express {
  const logger = options.logger ?? pino({ level: 'silent' })
  const metrics = options.metrics ?? createAppMetrics(options.upstream)
  const handle = createClaimsHttpHandler({ ...options.http, upstream: options.upstream, logger, onDriftRun: metrics.observeDriftRun })
  const app = express()
  app.disable('x-powered-by')
  app.set('etag', false)
  // request id and one pino line per request (pino-http's job, without its per-request cost)
  app.use((req, res, next) => {
    res.setHeader('x-content-type-options', 'nosniff')
    res.locals.log = requestLogger(logger, req, res, req.originalUrl)
    next()
  })

  app.use('/api/v1', async (req, res) => {
    const started = performance.now()
    // `response: res`: a client that disconnects cancels the request's running statement
    const response = await handle(
      fromNodeRequest(req, {
        originalUrl: req.originalUrl,
        origin: `${req.protocol}://${req.get('host') ?? 'localhost'}`,
        logger: res.locals.log as HttpLogger,
        response: res,
      }),
    )
    metrics.observeRequest({ method: req.method, route: response.route ?? 'unmatched', status: response.status }, (performance.now() - started) / 1000)
    await writeNodeResponse(res, response)
  })

  app.use((_req, res) => {
    res.status(404).json({ detail: 'Not found.' })
  })
  // Express's own errors (and any in this glue): JSON, logged, no stack or path in the body
  app.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error)
    const { status, body } = frameworkErrorBody(error)
    if (status >= 500) (res.locals.log as HttpLogger | undefined)?.error({ err: error }, 'unhandled error')
    closeConnection(res)
    res.status(status).json(body)
  })
  return app
}
