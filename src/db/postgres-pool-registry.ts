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

// Kysely instances whose driver is `pg`: a query without parameters goes over the simple
// protocol there, so several statements can share one round trip.
const multiStatement = new WeakSet<object>()

/**
 * Marks a Kysely instance as running on `pg`, where a parameterless query may hold
 * several statements (one round trip). Internal.
 *
 * @example
 * ```ts
 * markMultiStatement(db)
 * ```
 */
export function markMultiStatement<DB>(db: Kysely<DB>): void {
  multiStatement.add(db)
}

/**
 * Whether {@link markMultiStatement} marked this Kysely instance (PGlite's is never marked:
 * its dialect uses the extended protocol, one statement per query).
 *
 * @example
 * ```ts
 * if (supportsMultiStatement(db)) { ... }
 * ```
 */
export function supportsMultiStatement<DB>(db: Kysely<DB>): boolean {
  return multiStatement.has(db)
}

// Kysely instances whose connections go through a transaction pooler (createDatabase's `pooler`).
const transactionPooled = new WeakSet<object>()

/**
 * Marks a database's Kysely instance as reaching PostgreSQL through a transaction pooler
 * (PgBouncer `pool_mode = transaction`): consecutive transactions of one client may run on
 * different server sessions. Called by {@link createDatabase}; internal.
 *
 * @example
 * ```ts
 * markTransactionPooled(db)
 * ```
 */
export function markTransactionPooled<DB>(db: Kysely<DB>): void {
  transactionPooled.add(db)
}

/**
 * Whether {@link markTransactionPooled} marked this Kysely instance. Internal.
 *
 * @example
 * ```ts
 * if (isTransactionPooled(upstream.db)) throw new SessionRequiredError('LISTEN')
 * ```
 */
export function isTransactionPooled<DB>(db: Kysely<DB>): boolean {
  return transactionPooled.has(db)
}
