import { createServer, type RequestListener, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { pino, type Logger } from 'pino'
import type { ClaimsDatabase } from '@upstreamjs/upstream/claims'
import type { UpstreamDatabase } from '@upstreamjs/upstream/db'
import { shutDownGracefully } from './graceful-shutdown.js'
import { httpOptionsFromEnv, type EnvHttpOptions } from './http-options-from-env.js'
import { createAppMetrics, type AppMetrics } from './metrics.js'
import { openDatabase } from './open-database.js'
import { startTracing } from './tracing.js'

/**
 * What an example's `createApp` gets from {@link startServer}.
 *
 * @example
 * ```ts
 * await startServer(({ upstream, logger, metrics }) => createApp({ upstream, logger, metrics }), { name: 'express' })
 * ```
 */
export interface AppDependencies {
  readonly upstream: UpstreamDatabase<ClaimsDatabase>
  readonly logger: Logger
  readonly metrics: AppMetrics
  /** Core options from the environment (throttling, body limits; see {@link httpOptionsFromEnv}). */
  readonly http: EnvHttpOptions
}

/**
 * A running example server.
 *
 * @example
 * ```ts
 * const running = await startServer(listener, { name: 'koa', port: 0 })
 * await running.stop()
 * ```
 */
export interface RunningServer {
  readonly server: Server
  readonly upstream: UpstreamDatabase<ClaimsDatabase>
  readonly logger: Logger
  /** `http://127.0.0.1:<port>` */
  readonly url: string
  /** Stops it gracefully and closes the database. */
  stop(): Promise<void>
}

/**
 * Starts an example server: `DATABASE_URL` (real PostgreSQL) or embedded PGlite, migrated
 * (schema `UPSTREAM_SCHEMA`, default `upstream`); core options from the environment;
 * pino JSON logs; Prometheus metrics; OpenTelemetry traces to an OTLP collector when
 * `OTEL_EXPORTER_OTLP_ENDPOINT` is set (see {@link startTracing}); listening on `port` (default `PORT` or 3000); graceful
 * shutdown on SIGTERM/SIGINT. `createApp` turns the dependencies into a request listener
 * (an Express app, or a Koa app's `callback()`).
 *
 * @example
 * ```ts
 * await startServer((deps) => createApp(deps), { name: 'express' })
 * ```
 */
export async function startServer(
  createListener: (deps: AppDependencies) => RequestListener,
  options: { name: string; port?: number; databaseUrl?: string; logger?: Logger } = { name: 'example' },
): Promise<RunningServer> {
  const logger = options.logger ?? pino({ name: `upstream-${options.name}` })
  const tracing = startTracing(process.env, `upstream-${options.name}`)
  const databaseUrl = options.databaseUrl ?? process.env.DATABASE_URL
  const http = await httpOptionsFromEnv(process.env)
  const upstream = await openDatabase(databaseUrl, process.env.UPSTREAM_SCHEMA || undefined)
  const metrics = createAppMetrics(upstream, { defaultMetrics: true })
  const server = createServer(createListener({ upstream, logger, metrics, http }))
  const port = options.port ?? Number(process.env.PORT ?? 3000)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, () => resolve())
  })
  const address = server.address() as AddressInfo
  const url = `http://127.0.0.1:${address.port}`
  logger.info({ url, throttle: http.throttle ? { capacity: http.throttle.capacity, refillPerSecond: http.throttle.refillPerSecond, store: http.throttle.store ? 'redis' : 'memory' } : 'off', database: databaseUrl ? 'postgres (DATABASE_URL)' : 'embedded PGlite (in memory)', tracing: tracing.tracesUrl ?? 'off' }, `${options.name} example listening on ${url}/api/v1/`)
  const stop = shutDownGracefully(server, {
    logger,
    onClosed: async () => {
      await upstream.destroy()
      await tracing.shutdown()
    },
  })
  return { server, upstream, logger, url, stop: () => stop('stop()') }
}
