import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import { poolStats, type PoolStats, type UpstreamDatabase } from '@upstreamjs/upstream/db'

/**
 * The metrics of one example app, in a registry of its own.
 *
 * @example
 * ```ts
 * metrics.observeRequest({ method: 'GET', route: '/api/v1/claims/', status: 200 }, 0.012)
 * ```
 */
export interface AppMetrics {
  /** The registry (`/metrics` renders it). */
  readonly registry: Registry
  /** Records one API request. */
  observeRequest(labels: { method: string; route: string; status: number }, seconds: number): void
  /** Records one drift run. */
  observeDriftRun(run: { durationMs: number; created: boolean }): void
}

/**
 * Prometheus metrics of an example server: request duration by method, route template
 * and status; drift computation time; pool usage (connections total, idle and waiting)
 * on PostgreSQL (PGlite has no pool); and, with `defaultMetrics`, the process metrics.
 *
 * @example
 * ```ts
 * const metrics = createAppMetrics(upstream)
 * app.get('/metrics', async (_req, res) => res.type(metrics.registry.contentType).send(await metrics.registry.metrics()))
 * ```
 */
export function createAppMetrics<DB>(upstream: UpstreamDatabase<DB>, options: { defaultMetrics?: boolean } = {}): AppMetrics {
  const registry = new Registry()
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry })
  const requests = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'API request duration in seconds, by method, route template and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  })
  const drift = new Histogram({
    name: 'upstream_drift_computation_seconds',
    help: 'Time to compute a drift report (reports computed by the request, not found existing).',
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  })
  const driftRuns = new Counter({
    name: 'upstream_drift_runs_total',
    help: 'Drift runs, by outcome (created or existing).',
    labelNames: ['outcome'] as const,
    registers: [registry],
  })
  const pool = poolStats(upstream)
  const gauge = (name: string, help: string, read: (p: PoolStats) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        const p = poolStats(upstream)
        if (p) this.set(read(p))
      },
    })
  gauge('upstream_db_pool_connections', 'Connections the pool holds (idle and in use).', (p) => p.total)
  gauge('upstream_db_pool_idle_connections', 'Idle connections in the pool.', (p) => p.idle)
  gauge('upstream_db_pool_waiting_requests', 'Queries waiting for a pool connection.', (p) => p.waiting)
  new Gauge({
    name: 'upstream_db_pool_info',
    help: '1 when the pool gauges have values (a pg pool), 0 without a pool (embedded PGlite).',
    registers: [registry],
  }).set(pool ? 1 : 0)
  return Object.freeze({
    registry,
    observeRequest: (labels: { method: string; route: string; status: number }, seconds: number) =>
      requests.observe({ method: labels.method, route: labels.route, status: String(labels.status) }, seconds),
    observeDriftRun: (run: { durationMs: number; created: boolean }) => {
      driftRuns.inc({ outcome: run.created ? 'created' : 'existing' })
      if (run.created) drift.observe(run.durationMs / 1000)
    },
  })
}
