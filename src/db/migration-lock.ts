import { Kysely, Migrator, PostgresAdapter, PostgresDialect, sql, type MigrationResultSet, type MigratorProps } from 'kysely'
import type pg from 'pg'
import { databaseSpanAttributes, tracedDialect } from '../tracing/index.js'
import { postgresPoolOf } from './postgres-pool-registry.js'
import type { UpstreamDatabase } from './upstream-database.js'

/**
 * The advisory lock key of migrations: Kysely's own (`PostgresAdapter`), so a process still
 * running Kysely's session-level lock and one taking this transaction-level lock exclude
 * each other during a rolling upgrade (both kinds share PostgreSQL's advisory lock space).
 */
const MIGRATION_LOCK_KEY = '3853314791062309107'

/** Kysely's lock timeout for migrations (1 h), kept: a long migration of another instance is waited for. */
const MIGRATION_LOCK_TIMEOUT = '1h'

/**
 * A Postgres adapter whose migrator takes no lock of its own: {@link migrateSetToLatest} has
 * already taken `pg_advisory_xact_lock` inside the transaction the migrator runs in. Kysely's
 * own adapter takes a session-level `pg_advisory_lock` before its transaction and
 * `pg_advisory_unlock` after it; behind a transaction pooler (PgBouncer `pool_mode =
 * transaction`) those land on different server connections and the lock stays behind.
 */
class TransactionLockedAdapter extends PostgresAdapter {
  override async acquireMigrationLock(): Promise<void> {}
  override async releaseMigrationLock(): Promise<void> {}
}

/** A `pg` pool seen through one that never ends it: the migration Kysely is never the pool's owner. */
function borrowedPool(pool: pg.Pool): pg.Pool {
  return { connect: () => pool.connect(), end: async () => {} } as unknown as pg.Pool
}

/**
 * The settings of one Kysely `Migrator` run, without `db` (and without the transaction
 * switch, which {@link migrateSetToLatest} sets).
 *
 * @example
 * ```ts
 * const settings: MigratorSettings = { provider, migrationTableSchema: 'upstream', migrationTableName: 'upstream_migrations_core' }
 * ```
 */
export type MigratorSettings = Omit<MigratorProps, 'db' | 'disableTransactions'>

/**
 * Runs Kysely's `Migrator.migrateToLatest` for one history. On a `pg` pool it runs on one
 * connection inside one transaction that first takes the migration lock with
 * `pg_advisory_xact_lock` (the migrator's own lock calls do nothing, its transaction is that
 * one): the lock lives exactly as long as the transaction, on the server connection that
 * runs it, so it works unchanged behind PgBouncer in transaction mode and is never left
 * behind (commit, rollback and a dropped connection all end it). A failed run is rolled back
 * whole. On PGlite (one connection, no pooler) Kysely's migrator runs as it is. Internal.
 *
 * @example
 * ```ts
 * const result = await migrateSetToLatest(upstream, { provider, migrationTableSchema: upstream.schema })
 * if (result.error) throw result.error
 * ```
 */
export async function migrateSetToLatest<DB>(upstream: UpstreamDatabase<DB>, settings: MigratorSettings): Promise<MigrationResultSet> {
  const pool = postgresPoolOf(upstream.db)
  if (!pool) return new Migrator({ ...settings, db: upstream.db.withoutPlugins() }).migrateToLatest()
  const base = tracedDialect(new PostgresDialect({ pool: borrowedPool(pool) }), databaseSpanAttributes(pool.options.connectionString))
  const db = new Kysely<unknown>({
    dialect: {
      createAdapter: () => new TransactionLockedAdapter(),
      createDriver: () => base.createDriver(),
      createQueryCompiler: () => base.createQueryCompiler(),
      createIntrospector: (kysely) => base.createIntrospector(kysely),
    },
  })
  try {
    return await db.connection().execute(async (connection) => {
      await sql`begin`.execute(connection)
      let result: MigrationResultSet
      try {
        await sql.raw(`set local lock_timeout = '${MIGRATION_LOCK_TIMEOUT}'`).execute(connection)
        await sql.raw(`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`).execute(connection)
        result = await new Migrator({ ...settings, db: connection, disableTransactions: true }).migrateToLatest()
      } catch (error) {
        await sql`rollback`.execute(connection).catch(() => undefined)
        throw error
      }
      await sql.raw(result.error === undefined ? 'commit' : 'rollback').execute(connection)
      return result
    })
  } finally {
    await db.destroy() // its pool is borrowed: nothing is closed
  }
}
