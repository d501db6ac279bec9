import { type CreateDatabaseOptions, type UpstreamDatabase, createDatabase, migrateToLatest } from 'upstream'

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
  options: Omit<CreateDatabaseOptions, 'connectionString' | 'schema'> = {},
): Promise<UpstreamDatabase> {
  const upstream = await createDatabase({ ...options, ...(databaseUrl ? { connectionString: databaseUrl } : {}), ...(schema ? { schema } : {}) })
  try {
    await migrateToLatest(upstream)
  } catch (error) {
    await upstream.destroy()
    throw error
  }
  return upstream
}
