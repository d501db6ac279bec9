import { postgresPoolOf } from './postgres-pool-registry.js'
import { replicaRouterOf, type ReadRoutingStats } from './replica-router.js'
import type { UpstreamDatabase } from './upstream-database.js'

/** How busy a database's connection pool is (for metrics). */
export interface PoolStats {
  /** Connections the pool holds, idle and in use. */
  readonly total: number
  /** Idle connections. */
  readonly idle: number
  /** Callers waiting for a connection. */
  readonly waiting: number
  /** With replicas ({@link CreateDatabaseOptions.replicas}): tenant reads by the database that answered. */
  readonly reads?: ReadRoutingStats
  /** With replicas: each replica's pool, by `host:port/database`. */
  readonly replicas?: Readonly<Record<string, Omit<PoolStats, 'reads' | 'replicas'>>>
}

/**
 * The connection pool's counters of a database made by {@link createDatabase} over `pg`,
 * read at the moment of the call; `undefined` on embedded PGlite (no pool). With replicas,
 * also the count of tenant reads each side answered and the replicas' pools.
 *
 * @example
 * ```ts
 * new Gauge({ name: 'db_pool_waiting', help: 'Waiting for a connection', collect() {
 *   this.set(poolStats(upstream)?.waiting ?? 0)
 * } })
 * const reads = poolStats(upstream)?.reads // { replica: 9120, primary: 880, skippedDown: 0, skippedBehind: 12, skippedLsnUnknown: 0 }
 * ```
 */
export function poolStats<DB>(upstream: UpstreamDatabase<DB>): PoolStats | undefined {
  const pool = postgresPoolOf(upstream.db)
  if (!pool) return undefined
  const base = { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }
  const link = replicaRouterOf(upstream.db)
  if (!link) return base
  const replicas = Object.fromEntries(link.router.replicas.map((r) => [r.identity, { total: r.pool.totalCount, idle: r.pool.idleCount, waiting: r.pool.waitingCount }]))
  return { ...base, reads: link.router.stats(), replicas }
}
