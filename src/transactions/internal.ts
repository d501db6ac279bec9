/**
 * The library's own door into this folder, for other folders of the library: names they
 * need that are not public API. Never a package subpath; apps import `index.ts`.
 *
 * @internal
 */
export { runInTransactionWith } from './run-in-transaction.js'
export type { TransactionHooks } from './run-in-transaction.js'
export { withAbortGuard } from './abort-guard.js'
export type { AbortGuard } from './abort-guard.js'
