import { claimsMigrations, type ClaimsDatabase } from '@upstreamjs/upstream/claims'
import { type CreateDatabaseOptions, type UpstreamDatabase, createDatabase, migrateToLatest } from '@upstreamjs/upstream/db'

/**
 * Connects the example servers: a real PostgreSQL at `databaseUrl` (`DATABASE_URL`), else an
 * embedded PGlite database in memory; migrates either way, and `afterMigrate` (the job
 * queue's migrations, say) after it. `schema` defaults to `upstream`; `options` go to
 * `createDatabase` (the pool's error reporting, timeouts). Migrations run on `migrationUrl`
 * (`DATABASE_MIGRATION_URL`, a direct connection) when it is given and differs; they are
 * safe through PgBouncer in transaction mode too, so it is optional.
 *
 * @example
 * ```ts
 * const upstream = await openDatabase(process.env.DATABASE_URL, undefined, {}, process.env.DATABASE_MIGRATION_URL)
 * ```
 */
export async function openDatabase(
  databaseUrl: string | undefined,
  schema?: string,
  options: Omit<CreateDatabaseOptions, 'connectionString' | 'schema' | 'embedded'> = {},
  migrationUrl?: string,
  afterMigrate?: (migrating: UpstreamDatabase<ClaimsDatabase>) => Promise<void>,
): Promise<UpstreamDatabase<ClaimsDatabase>> {
  if (!databaseUrl) console.error('[upstream example] DATABASE_URL is not set: using an embedded in-memory PGlite database (data is lost on exit)')
  const upstream = await createDatabase<ClaimsDatabase>({ ...options, ...(databaseUrl ? { connectionString: databaseUrl } : { embedded: true }), ...(schema ? { schema } : {}) })
  try {
    const direct =
      databaseUrl && migrationUrl && migrationUrl !== databaseUrl
        ? await createDatabase<ClaimsDatabase>({ connectionString: migrationUrl, schema: upstream.schema, runtimeRole: upstream.runtimeRole, pool: { max: 1 } })
        : undefined
    try {
      await migrateToLatest(direct ?? upstream, { sets: [claimsMigrations] })
      await afterMigrate?.(direct ?? upstream)
    } finally {
      await direct?.destroy()
    }
  } catch (error) {
    await upstream.destroy()
    throw error
  }
  return upstream
}
