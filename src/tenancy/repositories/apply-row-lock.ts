import type { SelectQueryBuilder } from 'kysely'
import { ValidationError } from '../../errors/index.js'
import type { RowLockOptions } from './row-lock-options.js'

/**
 * Adds `FOR UPDATE` (with `NOWAIT` or `SKIP LOCKED`) to a select.
 *
 * @example
 * ```ts
 * qb.$call((q) => applyRowLock(q, { nowait: true })) // ... for update nowait
 * ```
 */
export function applyRowLock<DB, TB extends keyof DB, O>(
  qb: SelectQueryBuilder<DB, TB, O>,
  options: RowLockOptions = {},
): SelectQueryBuilder<DB, TB, O> {
  if (options.nowait && options.skipLocked) {
    throw new ValidationError({ lock: ['nowait and skipLocked cannot be combined.'] })
  }
  let locked = qb.forUpdate()
  if (options.nowait) locked = locked.noWait()
  if (options.skipLocked) locked = locked.skipLocked()
  return locked
}
