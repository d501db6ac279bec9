import { UpstreamError } from './upstream-error.js'

/**
 * A migration failed; it was rolled back, and so were the ones after it.
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
