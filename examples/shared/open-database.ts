import { claimsMigrations, type ClaimsDatabase } from '@upstreamjs/upstream/claims'
import { type CreateDatabaseOptions, type UpstreamDatabase, createDatabase, migrateToLatest } from '@upstreamjs/upstream/db'
import { migrateJobQueue } from '@upstreamjs/upstream/jobs'
import { applicationDatabaseOptions, type DeploymentConfig } from './deployment-config.js'

/**
 * Connects the example servers: a real PostgreSQL at `config.databaseUrl` (`DATABASE_URL`,
 * pool size `DATABASE_POOL_SIZE`), else an embedded PGlite database in memory; migrates
 * either way, on `config.migrationUrl` (`DATABASE_MIGRATION_URL`, a direct connection when
 * `DATABASE_URL` is PgBouncer) through a one-connection pool closed afterwards, and, with
 * `jobQueue`, installs the job queue there too. `schema` defaults to `upstream`; `options` go
 * to `createDatabase` (the pool's error reporting, timeouts). Migrations are safe through
 * PgBouncer in transaction mode too, so `DATABASE_MIGRATION_URL` is optional.
 *
 * @example
 * ```ts
 * const upstream = await openDatabase(readDeploymentConfig(process.env))
 * ```
 */
export async function openDatabase(
  config: Pick<DeploymentConfig, 'databaseUrl' | 'migrationUrl' | 'poolSize' | 'replicaUrls'>,
  schema?: string,
  options: Omit<CreateDatabaseOptions, 'connectionString' | 'schema' | 'embedded'> & { jobQueue?: boolean } = {},
): Promise<UpstreamDatabase<ClaimsDatabase>> {
  const { jobQueue, ...createOptions } = options
  if (!config.databaseUrl) console.error('[upstream example] DATABASE_URL is not set: using an embedded in-memory PGlite database (data is lost on exit)')
  const fromConfig = config.databaseUrl ? applicationDatabaseOptions(config) : { embedded: true }
  const upstream = await createDatabase<ClaimsDatabase>({ ...createOptions, ...fromConfig, ...(schema ? { schema } : {}) })
  try {
    const direct =
      config.databaseUrl && config.migrationUrl && config.migrationUrl !== config.databaseUrl
        ? await createDatabase<ClaimsDatabase>({ connectionString: config.migrationUrl, schema: upstream.schema, runtimeRole: upstream.runtimeRole, pool: { max: 1 } })
        : undefined
    try {
      await migrateToLatest(direct ?? upstream, { sets: [claimsMigrations] })
      if (jobQueue) await migrateJobQueue(direct ?? upstream)
    } finally {
      await direct?.destroy()
    }
  } catch (error) {
    await upstream.destroy()
    throw error
  }
  return upstream
}
