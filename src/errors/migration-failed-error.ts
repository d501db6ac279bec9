import { UpstreamError } from './upstream-error.js'

/**
 * A migration failed. On PostgreSQL (transactional DDL) a {@link migrateToLatest} call runs
 * in one transaction, so the whole call was rolled back: the failed migration, and the ones
 * the same call had applied before it; the ones after it never ran.
 *
 * @example
 * ```ts
 * try { await migrateToLatest(upstream) } catch (e) { if (e instanceof MigrationFailedError) console.error(e.migration, e.cause) }
 * ```
 */
export class MigrationFailedError extends UpstreamError {
  readonly code = 'migration_failed'
  /** The name of the migration that failed, when known. */
  readonly migration: string | undefined
  constructor(migration: string | undefined, options?: { cause?: unknown }) {
    super(`Migration ${migration ?? '(unknown)'} failed: ${options?.cause instanceof Error ? options.cause.message : String(options?.cause)}`, options)
    this.migration = migration
  }
}
