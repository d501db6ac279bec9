import { Kysely, PostgresDialect } from 'kysely'
import type pg from 'pg'
import { databaseSpanAttributes, tracedDialect } from '../tracing/index.js'
import { isTransactionPooled, markMultiStatement, postgresPoolOf } from './postgres-pool-registry.js'
import { capturingSingle } from './cancel-hook.js'
import { SessionRequiredError } from './session-required-error.js'
import type { CoreDatabase } from './core-database.js'
import { linkReplicaRouter, replicaRouterOf } from './replica-router.js'
import type { UpstreamDatabase } from './upstream-database.js'

/**
 * What {@link withDedicatedConnection} hands to its work: one session, two views of it.
 *
 * @example
 * ```ts
 * await withDedicatedConnection(upstream, async ({ upstream: session, client }) => {
 *   await client.query('create temp table staging (line text) on commit preserve rows')
 *   await forTenant(session, 7).read(({ db }) => db.selectFrom('uploads').select('id').execute()) // same session
 * })
 * ```
 */
export interface DedicatedConnection<DB = CoreDatabase> {
  /** The same database, every query of which runs on {@link DedicatedConnection.client}. */
  readonly upstream: UpstreamDatabase<DB>
  /** The raw `pg` client of that session, for driver-level work such as `COPY ... FROM STDIN`. */
  readonly client: pg.PoolClient
}

/**
 * Options of {@link withDedicatedConnection}.
 *
 * @example
 * ```ts
 * const options: DedicatedConnectionOptions = { scope: 'transaction' } // COPY into an `on commit drop` table, one transaction
 * ```
 */
export interface DedicatedConnectionOptions {
  /**
   * What `work` relies on. `'session'` (the default): one PostgreSQL session across several
   * transactions (a TEMP table kept between them, session settings, `LISTEN`); needs a
   * direct connection (or a session pooler), and is refused with {@link SessionRequiredError}
   * on a database created with `pooler: 'transaction'`. `'transaction'`: everything `work`
   * needs of the session happens inside one transaction (the `pg` client and the tenant
   * transaction share it); works behind PgBouncer in transaction mode too, which keeps a
   * client on one server session for the length of a transaction.
   */
  readonly scope?: 'session' | 'transaction'
}

/**
 * Runs `work` on one pooled connection, seen both as an {@link UpstreamDatabase}
 * (so `forTenant(...)` works on it) and as the raw `pg` client (so `COPY` can stream into a
 * TEMP table of the same session, which a tenant transaction then reads). Returns
 * `undefined` without calling `work` on PGlite, which has no `pg` client.
 *
 * **It needs a direct connection** for what happens between transactions: one connection
 * of the pool is one PostgreSQL session only when nothing pools in between. Behind a
 * transaction pooler (PgBouncer `pool_mode = transaction`) the pooler may hand each
 * transaction of that connection to another server session, so a TEMP table, a session
 * setting or a session-level lock is gone (or elsewhere) in the next transaction. Tell
 * {@link createDatabase} (`pooler: 'transaction'`) and a `scope: 'session'` call is refused
 * with {@link SessionRequiredError} before `work` runs; work confined to one transaction
 * says `scope: 'transaction'` and runs anywhere.
 *
 * @example
 * ```ts
 * await withDedicatedConnection(upstream, async ({ upstream: one, client }) => {
 *   await forTenant(one, 7).transaction(async ({ db }) => {
 *     // client.query(copyFrom('copy pg_temp.staging from stdin')) runs in this same transaction
 *   })
 * })
 * ```
 */
export async function withDedicatedConnection<DB, T>(
  upstream: UpstreamDatabase<DB>,
  work: (connection: DedicatedConnection<DB>) => Promise<T>,
  options: DedicatedConnectionOptions = {},
): Promise<T | undefined> {
  const pool = postgresPoolOf(upstream.db)
  if (!pool) return undefined
  if ((options.scope ?? 'session') === 'session' && isTransactionPooled(upstream.db)) throw new SessionRequiredError('withDedicatedConnection')
  const client = await pool.connect()
  let broken = false
  // A pool of exactly this one client: Kysely acquires and "releases" it, we release it for real.
  const single = {
    connect: async () => ({
      query: client.query.bind(client),
      release: (destroy?: boolean) => {
        if (destroy) broken = true
      },
    }),
    end: async () => {},
  }
  const dialect = tracedDialect(new PostgresDialect({ pool: capturingSingle(single, pool, client) as unknown as pg.Pool }), databaseSpanAttributes(pool.options.connectionString))
  const db = new Kysely<DB>({ dialect }).withSchema(upstream.schema)
  markMultiStatement(db)
  // with replicas: its reads stay on this session (temp tables), its writes are recorded
  const link = replicaRouterOf(upstream.db)
  if (link) linkReplicaRouter(db, link.router, false)
  const one: UpstreamDatabase<DB> = Object.freeze({ ...upstream, db, destroy: async () => {} })
  try {
    return await work(Object.freeze({ upstream: one, client }))
  } catch (error) {
    broken = true
    throw error
  } finally {
    await db.destroy()
    client.release(broken)
  }
}
