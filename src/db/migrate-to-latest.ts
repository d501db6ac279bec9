import { Migrator, type MigrationResultSet } from 'kysely'
import { MigrationFailedError } from '../errors/index.js'
import { UpstreamMigrationProvider } from './migrations/index.js'
import type { UpstreamDatabase } from './upstream-database.js'

/**
 * Runs every shipped migration not yet applied, in one call. Safe to call from several
 * processes at once (Kysely's migrator holds an advisory lock). The migration table
 * lives in the library's schema.
 *
 * @example
 * ```ts
 * const upstream = await createDatabase({ connectionString: process.env.DATABASE_URL })
 * await migrateToLatest(upstream) // first run: ['0001-initial-schema', '0002-search-indexes', ...]
 * await migrateToLatest(upstream) // up to date: []
 * ```
 */
export async function migrateToLatest<DB>(upstream: UpstreamDatabase<DB>): Promise<string[]> {
  const migrator = new Migrator({
    db: upstream.db.withoutPlugins(),
    provider: new UpstreamMigrationProvider({ schema: upstream.schema, runtimeRole: upstream.runtimeRole }),
    migrationTableSchema: upstream.schema,
  })
  const result: MigrationResultSet = await migrator.migrateToLatest()
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName
    throw new MigrationFailedError(failed, { cause: result.error })
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
}
