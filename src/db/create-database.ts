import { Kysely, PostgresDialect, type KyselyConfig } from 'kysely'
import pg from 'pg'
import type { Database } from '../claims/database.js'
import { databaseSpanAttributes, tracedDialect } from '../tracing/index.js'
import { assertIdentifier } from './identifier.js'
import { markMultiStatement, registerPostgresPool } from './postgres-pool-registry.js'
import type { UpstreamDatabase } from './upstream-database.js'

/**
 * Options of {@link createDatabase}. Every field is optional: `{}` starts an embedded
 * PGlite database with the default schema and role.
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
  /** A PostgreSQL URL. Without one, an embedded PGlite database is used (needs `@electric-sql/pglite` and `kysely-pglite-dialect`). */
  readonly connectionString?: string | undefined
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
const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (format !== 'binary') {
      if (oid === PG_INT8) return parseInt8
      if (oid === PG_DATE || oid === PG_NUMERIC) return (v: string) => v
    }
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return pg.types.getTypeParser(oid, format as any)
  },
} as pg.CustomTypesConfig

/**
 * Connects to PostgreSQL through a `pg` pool, or, with no connection string, starts an
 * embedded PGlite database (real PostgreSQL in WebAssembly) for demos and examples.
 * Values come back as the library's types promise: ids as numbers, amounts as exact
 * decimal strings, dates as `YYYY-MM-DD`. Every statement is traced ({@link tracedDialect}):
 * an OpenTelemetry span under the active span, once the app installs an SDK.
 *
 * @example
 * ```ts
 * import { createDatabase, migrateToLatest } from 'upstream'
 * const upstream = await createDatabase({ connectionString: process.env.DATABASE_URL })
 * await migrateToLatest(upstream)
 * // ...
 * await upstream.destroy()
 * ```
 */
export async function createDatabase(options: CreateDatabaseOptions = {}): Promise<UpstreamDatabase> {
  const schema = assertIdentifier(options.schema ?? 'upstream', 'schema')
  const runtimeRole = assertIdentifier(options.runtimeRole ?? 'upstream_runtime', 'runtimeRole')
  if (options.connectionString) {
    const pool = new pg.Pool({ max: 10, ...options.pool, connectionString: options.connectionString, types: pgTypes })
    const dialect = tracedDialect(new PostgresDialect({ pool }), databaseSpanAttributes(options.connectionString))
    const db = new Kysely<Database>({ dialect, log: options.log }).withSchema(schema)
    registerPostgresPool(db, pool)
    markMultiStatement(db)
    return Object.freeze({ db, schema, runtimeRole, dialect: 'postgres' as const, destroy: () => db.destroy() })
  }
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
  const db = new Kysely<Database>({ dialect: tracedDialect(new PGliteDialect(client)), log: options.log }).withSchema(schema)
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
