import type { UpstreamDatabase } from '../db/upstream-database.js'
import { runInTransaction } from '../transactions/run-in-transaction.js'
import type { TransactionOptions } from '../transactions/transaction-options.js'
import { assertTenantId } from './tenant-id.js'
import { tenantRepositories, type TenantRepositories } from './tenant-repositories.js'
import { TENANT_SETTING } from './tenant-setting.js'
import { readFailure, tenantReadOptions, type ReadOptions } from './tenant-read.js'

/**
 * A tenant you hold: every unit of work it runs is a transaction with the tenant set
 * (`set_config('upstream.customer_id', id, true)`) and the role switched to the runtime
 * role (`set_config('role', ..., true)`), so row-level security applies even on an
 * owner's or superuser's connection. Both settings end with the transaction.
 *
 * @example
 * ```ts
 * const tenant = forTenant(upstream, 7)
 * const upload = await tenant.read(({ uploads }) => uploads.getById(12))
 * await tenant.transaction(async ({ uploads }) => {
 *   const row = await uploads.forUpdate(12)
 *   if (row) await uploads.update(12, { row_count: (row.row_count ?? 0) + 1 })
 * }, { isolation: 'read committed', lockTimeoutMs: 2000 })
 * ```
 */
export interface TenantScope {
  /** The tenant's `customers.id`. */
  readonly customerId: number
  /** The database it runs on. */
  readonly upstream: UpstreamDatabase
  /** Runs `work` in a tenant transaction (retried on 40001/40P01; see {@link runInTransaction}). */
  transaction<T>(work: (repos: TenantRepositories) => Promise<T>, options?: TransactionOptions): Promise<T>
  /**
   * Runs `work` in one short read-only read-committed transaction: no locks, no raised
   * isolation. Row-level security needs the tenant set inside a transaction; this is the
   * cheapest such transaction. Do not hold it across slow awaits.
   *
   * Bounded: `statement_timeout` and `lock_timeout` come from the database's read timeouts
   * (`createDatabase({ readTimeouts })`, default 10 s and 500 ms) unless given here; past
   * either, {@link StatementTimeoutError}. A read cancelled by a hot standby's recovery
   * conflict (40001) runs again, up to 3 times in all, so `work` may run more than once.
   */
  read<T>(work: (repos: TenantRepositories) => Promise<T>, options?: ReadOptions): Promise<T>
}

/**
 * The tenant scope of one customer.
 *
 * @example
 * ```ts
 * const claims = await forTenant(upstream, 7).read(({ db }) =>
 *   db.selectFrom('claim_records').select(['id', 'status']).limit(10).execute(), // RLS: only tenant 7's rows
 * )
 * ```
 */
export function forTenant(upstream: UpstreamDatabase, customerId: number): TenantScope {
  const id = assertTenantId(customerId)
  const settings = Object.freeze({ [TENANT_SETTING]: String(id), role: upstream.runtimeRole })
  const run = <T>(work: (repos: TenantRepositories) => Promise<T>, options: TransactionOptions) =>
    runInTransaction(upstream.db, (trx) => work(tenantRepositories(trx, id)), options, settings)
  return Object.freeze({
    customerId: id,
    upstream,
    transaction: <T>(work: (repos: TenantRepositories) => Promise<T>, options: TransactionOptions = {}) => run(work, options),
    read: <T>(work: (repos: TenantRepositories) => Promise<T>, options: ReadOptions = {}) =>
      run(work, tenantReadOptions(upstream, options)).catch((error: unknown) => {
        throw readFailure(error)
      }),
  })
}
