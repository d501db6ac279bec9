import { Kysely, PostgresDialect, type KyselyConfig } from 'kysely'
import type pg from 'pg'
import type { CoreDatabase } from './core-database.js'
import { DatabaseConfigurationError } from './database-configuration-error.js'
import { databaseSpanAttributes, tracedDialect } from '../tracing/index.js'
import { assertIdentifier } from './identifier.js'
import { markMultiStatement, markTransactionPooled, registerPostgresPool } from './postgres-pool-registry.js'
import { capturingPool } from './cancel-hook.js'
import { DEFAULT_READ_TIMEOUTS, type ReadTimeouts } from './read-timeouts.js'
import type { UpstreamDatabase } from './upstream-database.js'
import { createReplicaRouter, databaseIdentity, linkReplicaRouter, type ReplicaTarget } from './replica-router.js'
import type { ReplicaRoutingOptions } from './replica-routing-options.js'

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
 *   acquireTimeoutMs: 2000, // PoolExhaustedError (HTTP 503) after 2 s without a free connection
 *   readTimeouts: { statementTimeoutMs: 5000, lockTimeoutMs: 500 },
 *   onConnectionError: (error) => logger.warn({ err: error }, 'database connection lost'),
 *   pooler: 'transaction', // DATABASE_URL is PgBouncer in transaction mode
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
  /**
   * How long a caller waits for a pooled connection (and a new connection for its
   * handshake), in ms, before {@link PoolExhaustedError} (HTTP 503). Default 5000; `0`
   * waits without bound. `pool.connectionTimeoutMillis`, when given, wins.
   */
  readonly acquireTimeoutMs?: number
  /** Timeouts of tenant reads. Default {@link DEFAULT_READ_TIMEOUTS} (statements 10 s, lock waits 500 ms). */
  readonly readTimeouts?: Partial<ReadTimeouts>
  /**
   * Told of every error of a connection nobody was using (PostgreSQL restarted, the backend
   * was terminated, the network dropped): the pool has already discarded that connection
   * and opens a new one on demand. Default: one JSON line on stderr. Never throw here.
   */
  readonly onConnectionError?: (error: Error) => void
  /**
   * Streaming replicas of the primary (`pg_basebackup -R`, hot standby), as URLs. Tenant reads
   * (`forTenant(...).read()`, the list functions) go to a replica, round robin; writes, API-key
   * lookups and anything in a read-write transaction go to the primary. Read-your-writes: each
   * tenant write records its commit position, and a later read of that tenant uses a replica
   * only once it has replayed that position (else it waits up to `replicaRouting.maxWaitMs`,
   * else the primary answers). Within one process by default; across processes with
   * `replicaRouting.lsnStore` ({@link createRedisLsnStore}). A replica down or behind is
   * skipped for a while; reads never fail because of it. See docs/read-replicas.md.
   */
  readonly replicas?: readonly string[]
  /**
   * How reads are routed to {@link CreateDatabaseOptions.replicas}: waits, bounds, the shared LSN
   * store. A process with no replicas but an `lsnStore` (a background worker) still records its
   * tenants' write positions there, so the instances that read from replicas see its writes.
   */
  readonly replicaRouting?: ReplicaRoutingOptions
  /**
   * What sits between this process and PostgreSQL. `'transaction'`: a transaction pooler
   * (PgBouncer with `pool_mode = transaction`, a managed database's "transaction" pool), where
   * each transaction may run on another server session. Everything the library does per
   * request is transaction-scoped and works there, migrations included; work that needs one
   * session across transactions ({@link withDedicatedConnection} with its default `scope:
   * 'session'`) is then refused with {@link SessionRequiredError} instead of silently losing
   * its session state. Default: a direct connection (or a session pooler). The library cannot
   * see a pooler by itself: PgBouncer forwards every query, so say so here.
   */
  readonly pooler?: 'transaction'
}

/** Logs an idle connection's error as one JSON line on stderr (the default `onConnectionError`). */
function logConnectionError(error: Error): void {
  const sqlState = (error as { code?: unknown }).code
  console.error(JSON.stringify({ level: 'warn', msg: 'upstream: a pooled database connection failed and was discarded', err: { message: error.message, code: sqlState } }))
}

function timeoutOption(value: number | undefined, name: string): number | undefined {
  if (value === undefined) return undefined
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer (ms)`)
  return value
}

function readTimeoutsOf(options: CreateDatabaseOptions): ReadTimeouts {
  const given = options.readTimeouts ?? {}
  return Object.freeze({
    statementTimeoutMs: timeoutOption(given.statementTimeoutMs, 'readTimeouts.statementTimeoutMs') ?? DEFAULT_READ_TIMEOUTS.statementTimeoutMs,
    lockTimeoutMs: timeoutOption(given.lockTimeoutMs, 'readTimeouts.lockTimeoutMs') ?? DEFAULT_READ_TIMEOUTS.lockTimeoutMs,
  })
}

/**
 * A `pg` pool that survives its connections' failures. node-postgres emits `error` on the
 * pool when an idle connection dies (PostgreSQL restarted, `pg_terminate_backend`), and on
 * a checked-out client whose socket dies between two queries; an `error` event nobody
 * listens to ends the Node process. Both get a listener here: the pool has already dropped
 * an idle client; a checked-out one fails its next query (classified as
 * `DatabaseUnavailableError`) and is discarded when released.
 */
function healingPool(pgModule: typeof pg, options: CreateDatabaseOptions, connectionString: string, acquireTimeout?: number): pg.Pool {
  const onError = options.onConnectionError ?? logConnectionError
  const report = (error: Error) => {
    try {
      onError(error)
    } catch {
      // a logger that throws must not take the process down either
    }
  }
  const acquireTimeoutMs = acquireTimeout ?? timeoutOption(options.acquireTimeoutMs, 'acquireTimeoutMs') ?? 5000
  const pool = new pgModule.Pool({
    max: 10,
    connectionTimeoutMillis: acquireTimeoutMs,
    keepAlive: true,
    ...options.pool,
    connectionString,
    types: pgTypesOf(pgModule.types),
  })
  pool.on('error', report)
  // the client's own errors surface as its queries' errors; this listener only keeps an
  // `error` event of a checked-out client from being unhandled
  pool.on('connect', (client) => {
    client.on('error', () => undefined)
    answerLastResult(client)
  })
  return pool
}

/**
 * A query of several statements (simple protocol) answers with its last statement's result
 * instead of an array of them, so `START TRANSACTION ...; SELECT ...` sent in one round trip
 * reads like the `SELECT` through Kysely (which reads `rows` off the answer).
 */
function answerLastResult(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown
  const patched = (...args: unknown[]): unknown => {
    const answer = query(...args)
    if (answer instanceof Promise) return answer.then((r: unknown) => (Array.isArray(r) ? (r.at(-1) as unknown) : r))
    return answer
  }
  ;(client as unknown as { query: typeof patched }).query = patched
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
 * The pool heals by itself: a connection that dies while idle (PostgreSQL restarted, the
 * backend terminated) is logged through `onConnectionError` and replaced on demand, never
 * an unhandled `error` event; requests in flight at that moment fail with
 * `DatabaseUnavailableError` (HTTP 503), later ones get fresh connections. Waiting for a
 * connection is bounded by `acquireTimeoutMs` ({@link PoolExhaustedError}); TCP keepalive is
 * on, so a peer that vanished is noticed.
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
  const readTimeouts = readTimeoutsOf(options)
  if (options.pooler !== undefined && options.pooler !== 'transaction') throw new RangeError(`pooler must be 'transaction' or absent, not ${JSON.stringify(options.pooler)}`)
  if (options.connectionString) {
    const { default: pgModule } = await import('pg')
    const pool = healingPool(pgModule, options, options.connectionString)
    const dialect = tracedDialect(new PostgresDialect({ pool: capturingPool(pool) }), databaseSpanAttributes(options.connectionString))
    const db = new Kysely<DB>({ dialect, log: options.log }).withSchema(schema)
    registerPostgresPool(db, pool)
    markMultiStatement(db)
    if (options.pooler === 'transaction') markTransactionPooled(db)
    const replicaUrls = (options.replicas ?? []).filter((url) => url.trim() !== '')
    if (replicaUrls.length === 0 && options.replicaRouting?.lsnStore === undefined) return Object.freeze({ db, schema, runtimeRole, dialect: 'postgres' as const, readTimeouts, destroy: () => db.destroy() })
    const routing = options.replicaRouting ?? {}
    const connectTimeoutMs = timeoutOption(routing.connectTimeoutMs, 'replicaRouting.connectTimeoutMs') ?? 1000
    for (const [name, value] of [['maxWaitMs', routing.maxWaitMs], ['maxLagBytes', routing.maxLagBytes], ['cooldownMs', routing.cooldownMs]] as const) {
      timeoutOption(value, `replicaRouting.${name}`)
    }
    const replicas = replicaUrls.map((url): ReplicaTarget<DB> => {
      const replicaPool = healingPool(pgModule, options, url, connectTimeoutMs)
      const replicaDb = new Kysely<DB>({ dialect: tracedDialect(new PostgresDialect({ pool: capturingPool(replicaPool) }), databaseSpanAttributes(url)), log: options.log }).withSchema(schema)
      registerPostgresPool(replicaDb, replicaPool)
      markMultiStatement(replicaDb)
      return Object.freeze({ db: replicaDb, pool: replicaPool, identity: databaseIdentity(url) })
    })
    const router = createReplicaRouter(db, databaseIdentity(options.connectionString), replicas, routing, schema)
    linkReplicaRouter(db, router, true)
    return Object.freeze({
      db,
      schema,
      runtimeRole,
      dialect: 'postgres' as const,
      readTimeouts,
      destroy: async () => {
        await Promise.all([db.destroy(), router.destroy()])
      },
    })
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
    readTimeouts,
    destroy: async () => {
      await db.destroy()
      if (!client.closed) await client.close()
    },
  })
}
