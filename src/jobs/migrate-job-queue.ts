import { jobQueueSchemaName, migrateToLatest, type UpstreamDatabase } from '../db/index.js'
import { postgresPoolOf } from '../db/internal.js'
import { sqlStateOf } from '../errors/index.js'
import { JobQueueUnavailableError } from './job-queue-unavailable-error.js'
import { silentJobLogger, toGraphileLogger, type JobLogger } from './job-logger.js'
import { jobMigrations } from './job-migrations.js'

// Two processes installing a fresh queue at once can collide on `create schema if not exists`
// (a unique violation on the catalog) or on a migration row; the second try finds it done.
const RACES = new Set(['23505', '42P06', '42P07'])

/**
 * Installs or upgrades the job queue of a library schema: the {@link jobMigrations} set
 * (`enqueue_tenant_job`, the workers' heartbeat table; the tenancy core first), then
 * graphile-worker's tables and functions in the schema `<schema>_jobs` (see
 * {@link jobQueueSchemaName}), each of its migrations in one transaction of its own.
 * Idempotent, safe from several processes at once. A worker runs it at start, and an API
 * process that enqueues jobs should too.
 *
 * @throws {@link JobQueueUnavailableError} on PGlite (`unsupported`)
 *
 * @example
 * ```ts
 * const upstream = await createDatabase({ connectionString: process.env.DATABASE_URL })
 * await migrateToLatest(upstream)
 * await migrateJobQueue(upstream) // creates upstream_jobs.* on the first run, no-op after
 * ```
 */
export async function migrateJobQueue<DB>(upstream: UpstreamDatabase<DB>, options: { readonly logger?: JobLogger } = {}): Promise<void> {
  const pgPool = postgresPoolOf(upstream.db)
  if (!pgPool) throw new JobQueueUnavailableError('unsupported')
  await migrateToLatest(upstream, { sets: [jobMigrations] })
  const { runMigrations } = await import('graphile-worker')
  const logger = await toGraphileLogger(options.logger ?? silentJobLogger)
  const run = () => runMigrations({ pgPool, schema: jobQueueSchemaName(upstream.schema), logger })
  try {
    await run()
  } catch (error) {
    if (!RACES.has(sqlStateOf(error) ?? '')) throw error
    await run()
  }
}
