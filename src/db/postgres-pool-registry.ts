import type { Kysely } from 'kysely'
import type pg from 'pg'

// Keyed by the Kysely instance `createDatabase` hands out, so spreading an
// `UpstreamDatabase` into a new object (as test helpers do) keeps the link.
const pools = new WeakMap<object, pg.Pool>()

/**
 * Remembers which `pg` pool a database's Kysely instance runs on. Called by
 * {@link createDatabase}; internal to the library.
 *
 * @example
 * ```ts
 * registerPostgresPool(db, pool)
 * ```
 */
export function registerPostgresPool<DB>(db: Kysely<DB>, pool: pg.Pool): void {
  pools.set(db, pool)
}

/**
 * The `pg` pool under a database's Kysely instance, or `undefined` (PGlite, or a
 * Kysely the library did not create). Internal: for COPY and other driver-level work.
 *
 * @example
 * ```ts
 * const pool = postgresPoolOf(upstream.db)
 * ```
 */
export function postgresPoolOf<DB>(db: Kysely<DB>): pg.Pool | undefined {
  return pools.get(db)
}
