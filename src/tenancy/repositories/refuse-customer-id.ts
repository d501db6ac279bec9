import { TenantScopeError } from '../../errors/index.js'

/**
 * Throws when a caller passes `customer_id` in a write: the tenant scope supplies it.
 *
 * @example
 * ```ts
 * refuseCustomerId({ filename: 'a.csv' }) // fine
 * refuseCustomerId({ filename: 'a.csv', customer_id: 2 }) // throws TenantScopeError
 * ```
 */
export function refuseCustomerId(values: object): void {
  if (Object.prototype.hasOwnProperty.call(values, 'customer_id')) {
    throw new TenantScopeError('customer_id comes from the tenant scope; do not pass it.')
  }
}
