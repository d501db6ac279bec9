/**
 * How a row-locking read (`SELECT ... FOR UPDATE`) behaves when the row is already locked:
 * by default it waits (up to the transaction's `lockTimeoutMs`). The two options exclude
 * each other; giving both throws a {@link ValidationError}.
 *
 * @example
 * ```ts
 * await forTenant(upstream, 7).transaction(async ({ uploads }) => {
 *   const upload = await uploads.forUpdate(12, { nowait: true }) // ... for update nowait
 *   // another transaction holds the row: LockNotAvailableError at once (HTTP 409)
 * })
 * ```
 */
export interface RowLockOptions {
  /** Fail at once with `LockNotAvailableError` instead of waiting. */
  readonly nowait?: boolean
  /** Skip locked rows (the row reads as missing) instead of waiting. */
  readonly skipLocked?: boolean
}
