import type { Kysely } from 'kysely'
import type { CoreDatabase } from './core-database.js'
import type { ReadTimeouts } from './read-timeouts.js'

/**
 * Which engine a {@link UpstreamDatabase} talks to: `postgres` (a `pg` pool) or `pglite`
 * (the embedded database {@link createDatabase} starts without a connection string).
 *
 * @example
 * ```ts
 * if (upstream.dialect === 'pglite') console.warn('embedded database: data lives in memory')
 * ```
 */
export type DialectName = 'postgres' | 'pglite'

/**
 * A connected database and the settings every part of the library needs with it.
 * Made by {@link createDatabase}; hold one per process and pass it explicitly.
 *
 * @example
 * ```ts
 * const upstream = await createDatabase({ connectionString: process.env.DATABASE_URL })
 * // Outside a tenant transaction no tenant is set: RLS (forced) hides every row, except from a
 * // superuser, who bypasses RLS. Tenant work goes through forTenant(upstream, id).
 * const uploads = await upstream.db.selectFrom('uploads').selectAll().execute() // []
 * await upstream.destroy()
 * ```
 */
export interface UpstreamDatabase<DB = CoreDatabase> {
  /** Kysely over the library's schema (table names resolve inside {@link UpstreamDatabase.schema}). */
  readonly db: Kysely<DB>
  /** The PostgreSQL schema of the library's tables. */
  readonly schema: string
  /** The role tenant transactions switch to (`SET LOCAL ROLE`), so row-level security applies even to an owner's connection. */
  readonly runtimeRole: string
  /** The engine behind {@link UpstreamDatabase.db}. */
  readonly dialect: DialectName
  /** The timeouts of tenant reads (`forTenant(...).read()`); {@link DEFAULT_READ_TIMEOUTS} when absent. */
  readonly readTimeouts?: ReadTimeouts
  /** Closes the pool (or the embedded database). */
  destroy(): Promise<void>
}
