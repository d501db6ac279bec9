/** How a row-locking read behaves when the row is already locked. */
export interface RowLockOptions {
  /** Fail at once with `LockNotAvailableError` instead of waiting. */
  readonly nowait?: boolean
  /** Skip locked rows (the row reads as missing) instead of waiting. */
  readonly skipLocked?: boolean
}
