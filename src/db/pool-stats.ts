import { postgresPoolOf } from './postgres-pool-registry.js'
import type { UpstreamDatabase } from './upstream-database.js'

/** How busy a database's connection pool is (for metrics). */
export interface PoolStats {
  /** Connections the pool holds, idle and in use. */
  readonly total: number
  /** Idle connections. */
  readonly idle: number
  /** Callers waiting for a connection. */
  readonly waiting: number
}

/**
 * The connection pool's counters of a database made by {@link createDatabase} over `pg`,
 * read at the moment of the call; `undefined` on embedded PGlite (no pool).
 *
 * @example
 * ```ts
 * new Gauge({ name: 'db_pool_waiting', help: 'Waiting for a connection', collect() {
 *   this.set(poolStats(upstream)?.waiting ?? 0)
 * } })
 * ```
 */
export function poolStats<DB>(upstream: UpstreamDatabase<DB>): PoolStats | undefined {
  const pool = postgresPoolOf(upstream.db)
  return pool ? { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount } : undefined
}
