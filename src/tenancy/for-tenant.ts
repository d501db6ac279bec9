import type { Kysely } from 'kysely'
import type { CoreDatabase, UpstreamDatabase } from '../db/index.js'
import { replicaRouterOf } from '../db/internal.js'
import type { TransactionOptions } from '../transactions/index.js'
import { runInTransactionWith } from '../transactions/internal.js'
import { tenantContext, type TenantContext } from './tenant-context.js'
import { assertTenantId } from './tenant-id.js'
import { TENANT_SETTING } from './tenant-setting.js'
import { readFailure, tenantReadOptions } from './tenant-read.js'
import { inAuthenticatedRead } from './authenticated-read.js'

/**
 * Options of {@link TenantScope.read}: a short read-only transaction takes only its
 * timeouts, which replace the database's read timeouts (`createDatabase({ readTimeouts })`)
 * for this call (`0` turns a limit off), and a `signal` that cancels it (see
 * {@link TransactionOptions.signal}: the running statement is cancelled in PostgreSQL and the
 * read rejects with `RequestAbortedError`).
 *
 * @example
 * ```ts
 * const options: TenantReadOptions = { statementTimeoutMs: 30_000, lockTimeoutMs: 0 } // a slow report that may wait for locks
 * await tenant.read(({ db }) => db.selectFrom('products').selectAll().execute(), options)
 * // cancelled when the HTTP client goes away (request.signal, see fromNodeRequest)
 * await tenant.read(({ db }) => db.selectFrom('products').selectAll().execute(), { signal: request.signal })
 * ```
 */
export type TenantReadOptions = Pick<TransactionOptions, 'statementTimeoutMs' | 'lockTimeoutMs' | 'signal'>

/**
 * A tenant you hold: every unit of work it runs is a transaction with the tenant set
 * (`set_config('upstream.customer_id', id, true)`) and the role switched to the runtime
 * role (`set_config('role', ..., true)`), so row-level security applies even on an
 * owner's or superuser's connection. Both settings end with the transaction.
 *
 * Typed over the app's schema `DB` and the context `C` its units of work get (a
 * {@link TenantContext}, or more with {@link TenantScope.with}).
 *
 * @example
 * ```ts
 * const tenant = forTenant(upstream, 7)
 * const products = await tenant.read(({ db }) => db.selectFrom('products').selectAll().execute())
 * await tenant.transaction(async ({ db }) => {
 *   const row = await db.selectFrom('products').select('stock').where('id', '=', 12).forUpdate().executeTakeFirst()
 *   if (row) await db.updateTable('products').set({ stock: row.stock - 1 }).where('id', '=', 12).execute()
 * }, { isolation: 'read committed', lockTimeoutMs: 2000 })
 * ```
 */
export interface TenantScope<DB = CoreDatabase, C extends TenantContext<DB> = TenantContext<DB>> {
  /** The tenant's `customers.id`. */
  readonly customerId: number
  /** The database it runs on. */
  readonly upstream: UpstreamDatabase<DB>
  /** Runs `work` in a tenant transaction (retried on 40001/40P01; see {@link runInTransaction}). */
  transaction<T>(work: (context: C) => Promise<T>, options?: TransactionOptions): Promise<T>
  /**
   * Runs `work` in one short read-only read-committed transaction: no locks, no raised
   * isolation. Row-level security needs the tenant set inside a transaction; this is the
   * cheapest such transaction. Do not hold it across slow awaits.
   *
   * Bounded: `statement_timeout` and `lock_timeout` come from the database's read timeouts
   * (`createDatabase({ readTimeouts })`, default 10 s and 500 ms) unless given here; past
   * either, `StatementTimeoutError` (HTTP 503). A read cancelled by a hot standby's recovery
   * conflict (40001) runs again, up to {@link TENANT_READ_ATTEMPTS} times in all, so `work`
   * may run more than once.
   */
  read<T>(work: (context: C) => Promise<T>, options?: TenantReadOptions): Promise<T>
  /**
   * A scope whose units of work get a richer context, such as the app's repositories bound
   * to the transaction. `extend` runs once per transaction; make what it adds lazy.
   *
   * @example
   * ```ts
   * const shop = forTenant(upstream, 7).with((context) => ({ ...context, products: new ProductsRepository(context.db, context.customerId) }))
   * await shop.read(({ products }) => products.list())
   * ```
   */
  with<C2 extends TenantContext<DB>>(extend: (context: C) => C2): TenantScope<DB, C2>
}

function scopeOf<DB, C extends TenantContext<DB>>(
  upstream: UpstreamDatabase<DB>,
  customerId: number,
  settings: Readonly<Record<string, string>>,
  contextOf: (context: TenantContext<DB>) => C,
): TenantScope<DB, C> {
  const link = replicaRouterOf(upstream.db)
  const run = <T>(work: (context: C) => Promise<T>, options: TransactionOptions, db = upstream.db, afterStart?: (conn: Kysely<DB>) => Promise<void>) => {
    // with replicas: a write records its commit position, so later reads of the tenant see it
    const afterCommit = link && options.readOnly !== true ? (conn: Kysely<DB>) => link.router.afterWrite(customerId, conn) : undefined
    return runInTransactionWith(db, (trx) => work(contextOf(tenantContext(trx, customerId))), options, settings, {
      ...(afterStart ? { afterStart } : {}),
      ...(afterCommit ? { afterCommit } : {}),
    })
  }
  const read = <T>(work: (context: C) => Promise<T>, options: TransactionOptions) =>
    link?.routeReads ? link.router.read(customerId, (db, prepare) => run(work, options, db, prepare)) : run(work, options)
  return Object.freeze({
    customerId,
    upstream,
    transaction: <T>(work: (context: C) => Promise<T>, options: TransactionOptions = {}) => run(work, options),
    read: <T>(work: (context: C) => Promise<T>, options: TenantReadOptions = {}) =>
      // inside an HTTP request that authenticated in its read transaction: that transaction
      inAuthenticatedRead(upstream, customerId, options, (conn) => work(contextOf(tenantContext(conn, customerId)))) ??
      read(work, tenantReadOptions(upstream, options)).catch((error: unknown) => {
        throw readFailure(error)
      }),
    with: <C2 extends TenantContext<DB>>(extend: (context: C) => C2) =>
      scopeOf(upstream, customerId, settings, (context) => extend(contextOf(context))),
  })
}

/**
 * The tenant scope of one customer, typed over the database's schema.
 *
 * @example
 * ```ts
 * const products = await forTenant(upstream, 7).read(({ db }) =>
 *   db.selectFrom('products').select(['id', 'name']).limit(10).execute(), // RLS: only tenant 7's rows
 * )
 * ```
 */
export function forTenant<DB>(upstream: UpstreamDatabase<DB>, customerId: number): TenantScope<DB> {
  const id = assertTenantId(customerId)
  const settings = Object.freeze({ [TENANT_SETTING]: String(id), role: upstream.runtimeRole })
  return scopeOf(upstream, id, settings, (context) => context)
}
