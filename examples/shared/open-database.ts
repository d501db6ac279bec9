import { claimsMigrations, type ClaimsDatabase } from '@upstreamjs/upstream/claims'
import { type CreateDatabaseOptions, type UpstreamDatabase, createDatabase, migrateToLatest } from '@upstreamjs/upstream/db'

/**
 * Connects the example servers: a real PostgreSQL at `databaseUrl` (`DATABASE_URL`), else an
 * embedded PGlite database in memory; migrates either way. `schema` defaults to `upstream`;
 * `options` go to `createDatabase` (the pool's error reporting, timeouts).
 *
 * @example
 * ```ts
 * const upstream = await openDatabase(process.env.DATABASE_URL)
 * ```
 */
export async function openDatabase(
  databaseUrl: string | undefined,
  schema?: string,
  options: Omit<CreateDatabaseOptions, 'connectionString' | 'schema' | 'embedded'> = {},
): Promise<UpstreamDatabase<ClaimsDatabase>> {
  if (!databaseUrl) console.error('[upstream example] DATABASE_URL is not set: using an embedded in-memory PGlite database (data is lost on exit)')
  const upstream = await createDatabase<ClaimsDatabase>({ ...options, ...(databaseUrl ? { connectionString: databaseUrl } : { embedded: true }), ...(schema ? { schema } : {}) })
  try {
    await migrateToLatest(upstream, { sets: [claimsMigrations] })
  } catch (error) {
    await upstream.destroy()
    throw error
  }
  return upstream
}
