import { createServer, type RequestListener, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { pino, type Logger } from 'pino'
import { startUploadSweeper, type ClaimsDatabase, type ClaimsHttpHandlerOptions } from '@upstreamjs/upstream/claims'
import type { UpstreamDatabase } from '@upstreamjs/upstream/db'
import { migrateJobQueue } from '@upstreamjs/upstream/jobs'
import { exampleJobs } from './example-jobs.js'
import { shutDownGracefully } from './graceful-shutdown.js'
import { httpOptionsFromEnv, type EnvHttpOptions } from './http-options-from-env.js'
import { createAppMetrics, type AppMetrics } from './metrics.js'
import { metricsUrl, startMetricsServer } from './metrics-server.js'
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
  /** Core options from the environment (throttling, body limits; see {@link httpOptionsFromEnv}) and, on PostgreSQL, background jobs. */
  readonly http: EnvHttpOptions & Pick<ClaimsHttpHandlerOptions, 'jobs'>
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
  /** The metrics listener (`METRICS_PORT`), when one was asked for. */
  readonly metricsServer: Server | undefined
  readonly upstream: UpstreamDatabase<ClaimsDatabase>
  readonly logger: Logger
  /** `http://127.0.0.1:<port>` */
  readonly url: string
  /** Stops it gracefully and closes the database. */
  stop(): Promise<void>
}

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, not ${JSON.stringify(raw)}`)
  return n
}

/**
 * Starts an example server: `DATABASE_URL` (real PostgreSQL, with background jobs: its job
 * queue is installed and `Prefer: respond-async` uploads go to `npm run worker`) or embedded
 * PGlite, migrated
 * (schema `UPSTREAM_SCHEMA`, default `upstream`); core options from the environment
 * (throttling, body limits, `PUBLIC_BASE_URL`, `ALLOWED_HOSTS`); pino JSON logs (`LOG_LEVEL`);
 * listening on `port` (default `PORT` or 3000); graceful shutdown on SIGTERM/SIGINT.
 * `createApp` turns the dependencies into a request listener (an Express app, or a Koa app's
 * `callback()`).
 *
 * Production behaviour:
 * - bounded waits: a client has `HEADERS_TIMEOUT_MS` (default 10 s) to send its headers and
 *   `REQUEST_TIMEOUT_MS` (default 300 s, long enough for a 100 MiB upload) for the whole
 *   request; idle keep-alive connections close after 5 s;
 * - Prometheus metrics on their own listener when `METRICS_PORT` is set (`0`: any free
 *   port), bound to `METRICS_HOST` (default `127.0.0.1`), never on the API port;
 * - the pool's lost connections are logged (warn) and replaced;
 * - uploads left `processing` by a process that died are failed by a sweep every
 *   `UPLOAD_SWEEP_INTERVAL_MS` (default 60 s), once they are `UPLOAD_SWEEP_AFTER_MS` old
 *   (default 60 s) and no process holds them (asynchronous uploads excepted: their job retries them).
 * Traces go to an OTLP collector when `OTEL_EXPORTER_OTLP_ENDPOINT` is set (see {@link startTracing}).
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
  const logger = options.logger ?? pino({ name: `upstream-${options.name}`, level: process.env.LOG_LEVEL || 'info' })
  const tracing = startTracing(process.env, `upstream-${options.name}`)
  const databaseUrl = options.databaseUrl ?? process.env.DATABASE_URL
  const http = await httpOptionsFromEnv(process.env, logger)
  // On PostgreSQL, background jobs: `Prefer: respond-async` uploads, drift runs after uploads and
  // durable drift subscribers, run by `npm run worker` (PGlite has no job queue: uploads stay synchronous).
  const jobs = databaseUrl ? exampleJobs(logger) : undefined
  // migrations (the schema's, then the queue's) on DATABASE_MIGRATION_URL when set, else DATABASE_URL
  const upstream = await openDatabase(
    databaseUrl,
    process.env.UPSTREAM_SCHEMA || undefined,
    { onConnectionError: (error) => logger.warn({ err: error }, 'a pooled database connection failed; the pool replaces it') },
    process.env.DATABASE_MIGRATION_URL || undefined,
    jobs ? (migrating) => migrateJobQueue(migrating) : undefined,
  )
  const metrics = createAppMetrics(upstream, { defaultMetrics: true })
  const server = createServer(createListener({ upstream, logger, metrics, http: { ...http, ...(jobs ? { jobs } : {}) } }))
  server.headersTimeout = envNumber('HEADERS_TIMEOUT_MS', 10_000)
  server.requestTimeout = envNumber('REQUEST_TIMEOUT_MS', 300_000)
  server.keepAliveTimeout = 5000
  const port = options.port ?? Number(process.env.PORT ?? 3000)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, () => resolve())
  })
  const metricsPort = process.env.METRICS_PORT
  const metricsServer =
    metricsPort === undefined || metricsPort === '' ? undefined : await startMetricsServer(metrics, { port: envNumber('METRICS_PORT', 0), host: process.env.METRICS_HOST || '127.0.0.1' })
  const sweeper = startUploadSweeper(upstream, {
    intervalMs: Math.max(1, envNumber('UPLOAD_SWEEP_INTERVAL_MS', 60_000)),
    olderThanMs: envNumber('UPLOAD_SWEEP_AFTER_MS', 60_000),
    onSwept: (uploads) => logger.warn({ uploads }, 'uploads abandoned by a stopped process marked failed'),
    onError: (error) => logger.warn({ err: error }, 'the sweep of abandoned uploads failed; it runs again later'),
  })
  const address = server.address() as AddressInfo
  const url = `http://127.0.0.1:${address.port}`
  logger.info(
    {
      url,
      metrics: metricsServer ? metricsUrl(metricsServer) : 'off (set METRICS_PORT)',
      throttle: http.throttle ? { capacity: http.throttle.capacity, refillPerSecond: http.throttle.refillPerSecond, store: http.throttle.store ? 'redis' : 'memory' } : 'off',
      database: databaseUrl ? 'postgres (DATABASE_URL)' : 'embedded PGlite (in memory)',
      tracing: tracing.tracesUrl ?? 'off',
    },
    `${options.name} example listening on ${url}/api/v1/`,
  )
  const stop = shutDownGracefully(server, {
    logger,
    onClosed: async () => {
      await sweeper.stop()
      if (metricsServer) await new Promise((resolve) => metricsServer.close(resolve))
      await upstream.destroy()
      await tracing.shutdown()
    },
  })
  return { server, metricsServer, upstream, logger, url, stop: () => stop('stop()') }
}
