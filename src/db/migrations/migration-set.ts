import type { Migration } from 'kysely'
import { assertIdentifier } from '../internal.js'
import type { MigrationContext } from './migration-context.js'

/**
 * A named, ordered set of migrations with its own history table (`<name>_migration` in the
 * library's schema), as one Kysely `Migrator` keeps one history. The tenancy core is one set
 * ({@link coreMigrations}), the claims domain another, and an app's own tables a third:
 * {@link migrateToLatest} runs each set's required sets first, then the set.
 *
 * Migration names sort in the order they run; a new migration is a new name, never an edit of
 * a shipped one.
 *
 * @example
 * ```ts
 * const shop = defineMigrationSet({
 *   name: 'shop',
 *   requires: [coreMigrations],
 *   migrations: (ctx) => ({
 *     '0001-products': {
 *       async up(db) {
 *         await db.schema.createTable('products') // lands in ctx.schema, next to the core's tables
 *           .addColumn('customer_id', 'bigint', (c) => c.notNull().references('customers.id').onDelete('cascade'))
 *           .addColumn('id', 'bigint', (c) => c.generatedAlwaysAsIdentity())
 *           .addColumn('name', 'text', (c) => c.notNull())
 *           .addPrimaryKeyConstraint('products_pkey', ['customer_id', 'id'])
 *           .execute()
 *         await tenantTable(db, 'products', ctx)
 *       },
 *     },
 *   }),
 * })
 * await migrateToLatest(upstream, { sets: [shop] }) // ['core/0001-tenants-and-api-keys', ..., 'shop/0001-products']
 * ```
 */
export interface MigrationSet {
  /** The set's name: a plain identifier; its history is the table `<name>_migration`. */
  readonly name: string
  /** Sets that must be migrated before this one (the core, for every tenant table). */
  readonly requires: readonly MigrationSet[]
  /**
   * The set's migrations, bound to a schema and runtime role. Each `up` gets a Kysely whose
   * unqualified table names resolve in `ctx.schema` (raw `sql` must qualify names itself, with
   * `sql.id(ctx.schema)`).
   */
  migrations(ctx: MigrationContext): Record<string, Migration>
}

/**
 * What {@link defineMigrationSet} takes.
 *
 * @example
 * ```ts
 * const config: MigrationSetConfig = { name: 'shop', requires: [coreMigrations], migrations: () => ({}) }
 * ```
 */
export interface MigrationSetConfig {
  /** The set's name (a plain lowercase identifier such as `shop`). */
  readonly name: string
  /** Sets to migrate first. Default none; an app's set of tenant tables requires {@link coreMigrations}. */
  readonly requires?: readonly MigrationSet[]
  /** The migrations, by name, for a schema and runtime role. */
  readonly migrations: (ctx: MigrationContext) => Record<string, Migration>
}

/**
 * Defines a {@link MigrationSet}. Throws `ValidationError` when the name is not a plain lowercase identifier.
 *
 * @example
 * ```ts
 * export const shopMigrations = defineMigrationSet({ name: 'shop', requires: [coreMigrations], migrations: shopMigrationList })
 * ```
 */
export function defineMigrationSet(config: MigrationSetConfig): MigrationSet {
  const name = assertIdentifier(config.name, 'migration set name')
  if (name.length > 40) throw new TypeError(`migration set name must be at most 40 characters, got ${name.length}`)
  return Object.freeze({ name, requires: Object.freeze([...(config.requires ?? [])]), migrations: config.migrations })
}

/**
 * The name of a set's history table (`core_migration`, `claims_migration`, ...).
 *
 * @example
 * ```ts
 * migrationTableOf(coreMigrations) // 'core_migration'
 * ```
 */
export function migrationTableOf(set: MigrationSet): string {
  return `${set.name}_migration`
}

/**
 * The sets in the order they run: every required set before the sets that require it, each
 * once. Throws `TypeError` on a cycle or on two different sets of one name.
 *
 * @example
 * ```ts
 * orderMigrationSets([claimsMigrations]).map((s) => s.name) // ['core', 'claims']
 * ```
 */
export function orderMigrationSets(sets: readonly MigrationSet[]): MigrationSet[] {
  const ordered: MigrationSet[] = []
  const visiting = new Set<MigrationSet>()
  const visit = (set: MigrationSet) => {
    if (ordered.includes(set)) return
    const twin = ordered.find((s) => s.name === set.name)
    if (twin) throw new TypeError(`Two different migration sets are named ${set.name}`)
    if (visiting.has(set)) throw new TypeError(`Migration set ${set.name} requires itself`)
    visiting.add(set)
    for (const required of set.requires) visit(required)
    visiting.delete(set)
    ordered.push(set)
  }
  for (const set of sets) visit(set)
  return ordered
}
