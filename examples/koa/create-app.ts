import Router from '@koa/router'
import Koa from 'koa'
import { pino, type Logger } from 'pino'
import { type ClaimsDatabase, type ClaimsHttpHandlerOptions, createClaimsHttpHandler } from '@upstreamjs/upstream/claims'
import type { UpstreamDatabase } from '@upstreamjs/upstream/db'
import { closeConnection, fromNodeRequest, mustCloseConnection, serializeBody } from '@upstreamjs/upstream/http'
import { createAppMetrics, type AppMetrics } from '../shared/metrics.js'
import { frameworkErrorBody } from '../shared/error-body.js'
import { requestLogger } from '../shared/request-logger.js'

/**
 * Options of the Koa example's {@link createApp}.
 *
 * @example
 * ```ts
 * const app = createApp({ upstream, logger: pino(), http: { maxUploadBytes: 10 * 1024 * 1024 } })
 * ```
 */
export interface KoaAppOptions {
  readonly upstream: UpstreamDatabase<ClaimsDatabase>
  /** Default: a silent pino logger. */
  readonly logger?: Logger
  /** Default: fresh metrics in a registry of their own. */
  readonly metrics?: AppMetrics
  /** Core options (throttle, permission, authenticate, limits...). */
  readonly http?: Omit<ClaimsHttpHandlerOptions, 'upstream' | 'logger'>
}

/**
 * The Koa 3 example (with @koa/router): the upstream API under `/api/v1` (the
 * framework-free core in a screen of glue), pino logs with a request id,
 * `X-Content-Type-Options: nosniff` on every response, and JSON for Koa's own errors.
 * Metrics are served on a port of their own (see `startMetricsServer`), never here.
 *
 * @example
 * ```ts
 * const app = createApp({ upstream })
 * await request(app.callback()).get('/api/v1/claims/').set('Authorization', `Bearer ${token}`)
 * ```
 */
export function createApp(options: KoaAppOptions): Koa {
  const logger = options.logger ?? pino({ level: 'silent' })
  const metrics = options.metrics ?? createAppMetrics(options.upstream)
  const handle = createClaimsHttpHandler({ ...options.http, upstream: options.upstream, logger, onDriftRun: metrics.observeDriftRun })
  const app = new Koa({ proxy: false })
  const router = new Router()

  // request id and one pino line per request (what pino-http does for Express)
  app.use(async (ctx, next) => {
    ctx.set('x-content-type-options', 'nosniff')
    ctx.state.log = requestLogger(logger, ctx.req, ctx.res, ctx.originalUrl)
    try {
      await next()
    } catch (error) {
      // Koa's own errors (and any in this glue): JSON, logged, no stack or path in the body
      const { status, body } = frameworkErrorBody(error)
      if (status >= 500) ctx.state.log.error({ err: error }, 'unhandled error')
      ctx.status = status
      closeConnection(ctx.res)
      ctx.body = body
    }
  })

  router.all(['/api/v1', '/api/v1/{*rest}'], async (ctx) => {
    const started = performance.now()
    // `response: ctx.res`: a client that disconnects cancels the request's running statement
    const response = await handle(fromNodeRequest(ctx.req, { originalUrl: ctx.originalUrl, origin: ctx.origin, logger: ctx.state.log, response: ctx.res }))
    metrics.observeRequest({ method: ctx.method, route: response.route ?? 'unmatched', status: response.status }, (performance.now() - started) / 1000)
    ctx.status = response.status
    ctx.set(response.headers)
    // a 413, or a body not read to its end: close without reading further
    if (response.headers.connection === 'close' || mustCloseConnection(ctx.req)) closeConnection(ctx.res)
    ctx.body = serializeBody(response) ?? null
  })

  app.use(router.routes())
  app.use(async (ctx) => {
    ctx.status = 404
    ctx.body = { detail: 'Not found.' }
  })
  return app
}
