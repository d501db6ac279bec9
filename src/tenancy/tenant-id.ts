import { ValidationError } from '../errors/index.js'

/**
 * Checks a customer id: a positive safe integer. Anything else is refused before it
 * reaches SQL or `set_config`.
 *
 * @example
 * ```ts
 * assertTenantId(42) // 42
 * assertTenantId(0)  // throws ValidationError
 * ```
 */
export function assertTenantId(customerId: number): number {
  if (!Number.isSafeInteger(customerId) || customerId < 1) {
    throw new ValidationError({ customer_id: ['Must be a positive integer.'] })
  }
  return customerId
}
