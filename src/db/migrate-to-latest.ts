import { MigrationFailedError, sqlStateOf } from '../errors/index.js'
import { adoptFirstLayout } from './adopt-first-layout.js'
import { coreMigrations, MigrationSetProvider, migrationTableOf, orderMigrationSets, type MigrationSet } from './migrations/index.js'
import { migrateSetToLatest } from './migration-lock.js'
import type { UpstreamDatabase } from './upstream-database.js'


// a schema, table or column dropped or renamed by another session while the migrator reads the catalog
const CONCURRENT_DROP = new Set(['3F000', '42P01', '42703'])
/**
 * Options of {@link migrateToLatest}.
 *
 * @example
 * ```ts
 * const options: MigrateOptions = { sets: [claimsMigrations, shopMigrations] }
 * ```
 */
export interface MigrateOptions {
  /**
   * The migration sets to bring up to date, each after the sets it requires. Default
   * `[coreMigrations]`: the tenancy core only.
   */
  readonly sets?: readonly MigrationSet[]
}

/**
 * Runs every migration not yet applied of the named {@link MigrationSet}s (and of the sets they
 * require, first), set by set, each with its own history table in the library's schema, as
 * Kysely's `Migrator` does. Returns the migrations it applied, as `set/name`.
 *
 * Safe to call from many processes at once, directly or through PgBouncer in transaction
 * mode: each set migrates in one transaction that first takes a transaction-scoped
 * advisory lock (`pg_advisory_xact_lock`, on Kysely's migration lock key), so the lock ends
 * with that transaction on the server connection that took it and is never left behind.
 * (Kysely's own migrator takes a session-level lock outside its transaction, which a
 * transaction pooler strands on another server connection.)
 *
 * A database made by the first layout (one history of `0001-initial-schema` ..
 * `0004-upload-status-transitions`) is moved to the sets' layout first, every row intact: its
 * history becomes the claims set's and the core's work is recorded as done.
 *
 * Throws {@link MigrationFailedError} naming the migration that failed; on PostgreSQL that
 * call's migrations of the failing set are rolled back together.
 *
 * @example
 * ```ts
 * const upstream = await createDatabase({ connectionString: process.env.DATABASE_URL })
 * await migrateToLatest(upstream) // the core only: ['core/0001-tenants-and-api-keys', ...]
 * await migrateToLatest(upstream, { sets: [shopMigrations] }) // the app's own set, after the core it requires
 * await migrateToLatest(upstream, { sets: [shopMigrations] }) // up to date: []
 * ```
 */
export async function migrateToLatest<DB>(upstream: UpstreamDatabase<DB>, options: MigrateOptions = {}): Promise<string[]> {
  await adoptFirstLayout(upstream.db.withoutPlugins(), upstream.schema, upstream.runtimeRole)
  const applied: string[] = []
  for (const set of orderMigrationSets(options.sets ?? [coreMigrations])) {
    const table = migrationTableOf(set)
    const migrateOnce = () =>
      migrateSetToLatest(upstream, {
        provider: new MigrationSetProvider(set, { schema: upstream.schema, runtimeRole: upstream.runtimeRole }),
        migrationTableSchema: upstream.schema,
        migrationTableName: table,
        migrationLockTableName: `${table}_lock`,
      })
    let result = await migrateOnce()
    // Kysely's migrator reads the catalog of every schema before it starts; another session
    // dropping an unrelated schema or table at that moment, or renaming a column (another
    // instance's job-queue migration, 42703 from pg_get_serial_sequence), fails that read before
    // any migration ran. Nothing was applied then, so the set is tried again, after a short wait.
    for (let retry = 0; retry < 5 && result.error && result.results === undefined && CONCURRENT_DROP.has(sqlStateOf(result.error) ?? ''); retry++) {
      await new Promise((resolve) => setTimeout(resolve, 50 * (retry + 1)))
      result = await migrateOnce()
    }
    if (result.error) {
      const failed = result.results?.find((r) => r.status === 'Error')?.migrationName
      throw new MigrationFailedError(failed === undefined ? set.name : `${set.name}/${failed}`, { cause: result.error })
    }
    for (const r of result.results ?? []) if (r.status === 'Success') applied.push(`${set.name}/${r.migrationName}`)
  }
  return applied
}
