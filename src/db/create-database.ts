import { Kysely, PostgresDialect, type KyselyConfig } from 'kysely'
import type pg from 'pg'
import type { CoreDatabase } from './core-database.js'
import { DatabaseConfigurationError } from './database-configuration-error.js'
import { databaseSpanAttributes, tracedDialect } from '../tracing/index.js'
import { assertIdentifier } from './identifier.js'
import { markMultiStatement, registerPostgresPool } from './postgres-pool-registry.js'
import type { UpstreamDatabase } from './upstream-database.js'

/**
 * Options of {@link createDatabase}: a `connectionString`, or `embedded: true` for an
 * in-process PGlite database (demos and examples only; it says so on stderr).
 *
 * @example
 * ```ts
 * const options: CreateDatabaseOptions = {
 *   connectionString: process.env.DATABASE_URL, // postgres://app@db:5432/claims
 *   schema: 'claims',
 *   runtimeRole: 'claims_runtime',
 *   pool: { max: 20, idleTimeoutMillis: 30_000 },
 * }
 * const upstream = await createDatabase(options)
 * ```
 */
export interface CreateDatabaseOptions {
  /**
   * A PostgreSQL URL. Required unless {@link CreateDatabaseOptions.embedded} is `true`: a
   * missing URL is a {@link DatabaseConfigurationError}, never a silent throwaway database.
   */
  readonly connectionString?: string | undefined
  /**
   * `true` to start an embedded PGlite database (real PostgreSQL in WebAssembly; needs
   * `@electric-sql/pglite` and `kysely-pglite-dialect`) when no `connectionString` is given.
   * For demos and examples: its data lives in memory unless {@link CreateDatabaseOptions.pgliteDataDir} is set.
   */
  readonly embedded?: boolean
  /** The schema of the library's tables. Default `upstream`. */
  readonly schema?: string
  /** The role tenant transactions switch to. Default `upstream_runtime`. */
  readonly runtimeRole?: string
  /** Extra `pg` pool settings (`max`, `idleTimeoutMillis`, ...). */
  readonly pool?: Omit<pg.PoolConfig, 'connectionString' | 'types'>
  /** Where PGlite keeps its files; in memory when absent. */
  readonly pgliteDataDir?: string
  /** Kysely's query log hook (see {@link createQueryCounter}). */
  readonly log?: KyselyConfig['log']
}

const PG_INT8 = 20
const PG_NUMERIC = 1700
const PG_DATE = 1082

function parseInt8(value: string): number | string {
  const n = Number(value)
  return Number.isSafeInteger(n) ? n : value
}

/** `pg` type parsers: bigint as number, numeric as exact string, date as `YYYY-MM-DD`. Per pool, never global. */
function pgTypesOf(types: typeof pg.types): pg.CustomTypesConfig {
  return {
    getTypeParser(oid: number, format?: 'text' | 'binary') {
      if (format !== 'binary') {
        if (oid === PG_INT8) return parseInt8
        if (oid === PG_DATE || oid === PG_NUMERIC) return (v: string) => v
      }
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      return types.getTypeParser(oid, format as any)
    },
  } as pg.CustomTypesConfig
}

/**
 * Connects to PostgreSQL through a `pg` pool, or, with `embedded: true` and no connection
 * string, starts an embedded PGlite database (real PostgreSQL in WebAssembly) for demos and
 * examples. Values come back as the library's types promise: ids as numbers, amounts as
 * exact decimal strings, dates as `YYYY-MM-DD`. `pg` is loaded only for a connection string,
 * PGlite only for the embedded database.
 *
 * `DB` is the app's Kysely schema: {@link CoreDatabase} (the default) plus its own tables.
 *
 * @throws {@link DatabaseConfigurationError} when neither a connection string nor `embedded: true` is given.
 *
 * @example
 * ```ts
 * import { createDatabase, migrateToLatest } from '@upstreamjs/upstream/db'
 * const upstream = await createDatabase<AppDatabase>({ connectionString: process.env.DATABASE_URL })
 * await migrateToLatest(upstream)
 * // ...
 * await upstream.destroy()
 * ```
 */
export async function createDatabase<DB = CoreDatabase>(options: CreateDatabaseOptions): Promise<UpstreamDatabase<DB>> {
  const schema = assertIdentifier(options.schema ?? 'upstream', 'schema')
  const runtimeRole = assertIdentifier(options.runtimeRole ?? 'upstream_runtime', 'runtimeRole')
  if (options.connectionString) {
    const { default: pgModule } = await import('pg')
    const pool = new pgModule.Pool({ max: 10, ...options.pool, connectionString: options.connectionString, types: pgTypesOf(pgModule.types) })
    const dialect = tracedDialect(new PostgresDialect({ pool }), databaseSpanAttributes(options.connectionString))
    const db = new Kysely<DB>({ dialect, log: options.log }).withSchema(schema)
    registerPostgresPool(db, pool)
    markMultiStatement(db)
    return Object.freeze({ db, schema, runtimeRole, dialect: 'postgres' as const, destroy: () => db.destroy() })
  }
  if (options.embedded !== true) throw new DatabaseConfigurationError()
  const [{ PGlite, types }, { pg_trgm }, { btree_gin }, { PGliteDialect }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite/contrib/pg_trgm'),
    import('@electric-sql/pglite/contrib/btree_gin'),
    import('kysely-pglite-dialect'),
  ])
  const identity = (v: string) => v
  const client = await PGlite.create({
    dataDir: options.pgliteDataDir,
    extensions: { pg_trgm, btree_gin },
    parsers: { [types.INT8]: parseInt8, [types.NUMERIC]: identity, [types.DATE]: identity },
  })
  const db = new Kysely<DB>({ dialect: tracedDialect(new PGliteDialect(client)), log: options.log }).withSchema(schema)
  return Object.freeze({
    db,
    schema,
    runtimeRole,
    dialect: 'pglite' as const,
    destroy: async () => {
      await db.destroy()
      if (!client.closed) await client.close()
    },
  })
}
