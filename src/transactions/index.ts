/**
 * The transactional service layer: {@link runInTransaction} with isolation levels, read-only
 * and deferrable modes, local lock and statement timeouts, and bounded retries of
 * serialization failures and deadlocks.
 *
 * @example
 * ```ts
 * import { runInTransaction } from '@upstreamjs/upstream/transactions'
 * await runInTransaction(upstream.db, async (trx) => { ... }, { isolation: 'serializable', maxAttempts: 5 })
 * ```
 *
 * @packageDocumentation
 * @module transactions
 */
export { runInTransaction } from './run-in-transaction.js'
export type { LocalSettings } from './run-in-transaction.js'
export type { IsolationLevel, RetryInfo, RetryPolicy, TransactionOptions } from './transaction-options.js'
