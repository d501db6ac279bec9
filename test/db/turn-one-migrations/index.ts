import type { Migration, MigrationProvider } from 'kysely'
import { initialSchema } from './0001-initial-schema.js'
import { searchIndexes } from './0002-search-indexes.js'
import { driftCoveringIndex } from './0003-drift-covering-index.js'
import { uploadStatusTransitions } from './0004-upload-status-transitions.js'
import type { MigrationContext } from './migration-context.js'

/**
 * The migrations shipped in the package, in order. Names sort in the order they run.
 * A new migration is a new file here and one line in this list; never edit a shipped one.
 * Each migration creates its objects in `ctx.schema` and grants them to `ctx.runtimeRole`.
 * Most applications call {@link migrateToLatest} instead.
 *
 * @example
 * ```ts
 * const migrations = upstreamMigrations({ schema: 'upstream', runtimeRole: 'upstream_runtime' })
 * Object.keys(migrations)
 * // ['0001-initial-schema', '0002-search-indexes', '0003-drift-covering-index', '0004-upload-status-transitions']
 * ```
 */
export function upstreamMigrations(ctx: MigrationContext): Record<string, Migration> {
  return {
    '0001-initial-schema': initialSchema(ctx),
    '0002-search-indexes': searchIndexes(ctx),
    '0003-drift-covering-index': driftCoveringIndex(ctx),
    '0004-upload-status-transitions': uploadStatusTransitions(ctx),
  }
}

/**
 * A Kysely `MigrationProvider` over the migrations compiled into the package
 * (no folder is read at run time, so it works from a bundle).
 *
 * @example
 * ```ts
 * import { Migrator } from 'kysely'
 * const migrator = new Migrator({
 *   db: upstream.db.withoutPlugins(), // the migrations qualify every name with the schema themselves
 *   provider: new UpstreamMigrationProvider({ schema: upstream.schema, runtimeRole: upstream.runtimeRole }),
 *   migrationTableSchema: upstream.schema, // where migrateToLatest keeps its bookkeeping too
 * })
 * const { error, results } = await migrator.migrateToLatest()
 * ```
 */
export class UpstreamMigrationProvider implements MigrationProvider {
  readonly #ctx: MigrationContext
  constructor(ctx: MigrationContext) {
    this.#ctx = Object.freeze({ ...ctx })
  }
  /** The shipped migrations, bound to this provider's schema and role. */
  async getMigrations(): Promise<Record<string, Migration>> {
    return upstreamMigrations(this.#ctx)
  }
}
export type { MigrationContext } from './migration-context.js'
