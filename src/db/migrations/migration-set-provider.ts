import type { Migration, MigrationProvider } from 'kysely'
import type { MigrationContext } from './migration-context.js'
import type { MigrationSet } from './migration-set.js'

/**
 * A Kysely `MigrationProvider` over one {@link MigrationSet}, for apps that drive Kysely's
 * `Migrator` themselves (to migrate down, say). Each migration's `db` resolves unqualified
 * table names in the context's schema. No folder is read at run time, so it works from a bundle.
 *
 * @example
 * ```ts
 * import { Migrator } from 'kysely'
 * const migrator = new Migrator({
 *   db: upstream.db.withoutPlugins(),
 *   provider: new MigrationSetProvider(coreMigrations, { schema: upstream.schema, runtimeRole: upstream.runtimeRole }),
 *   migrationTableSchema: upstream.schema,
 *   migrationTableName: migrationTableOf(coreMigrations), // 'core_migration'
 *   migrationLockTableName: `${migrationTableOf(coreMigrations)}_lock`,
 * })
 * const { error, results } = await migrator.migrateToLatest()
 * ```
 */
export class MigrationSetProvider implements MigrationProvider {
  readonly #set: MigrationSet
  readonly #ctx: MigrationContext
  constructor(set: MigrationSet, ctx: MigrationContext) {
    this.#set = set
    this.#ctx = Object.freeze({ schema: ctx.schema, runtimeRole: ctx.runtimeRole })
  }
  /** The set's migrations, bound to this provider's schema and role. */
  async getMigrations(): Promise<Record<string, Migration>> {
    const schema = this.#ctx.schema
    const migrations = this.#set.migrations(this.#ctx)
    return Object.fromEntries(
      Object.entries(migrations).map(([name, m]) => {
        const bound: Migration = { up: (db) => m.up(db.withSchema(schema)) }
        const down = m.down
        return [name, down ? { ...bound, down: (db) => down(db.withSchema(schema)) } : bound]
      }),
    )
  }
}
