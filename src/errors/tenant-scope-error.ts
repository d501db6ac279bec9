import { UpstreamError } from './upstream-error.js'

/**
 * A programming error against tenant isolation: a write that carries its own
 * `customer_id`, or a tenant operation without a tenant.
 *
 * @example
 * ```ts
 * throw new TenantScopeError('customer_id comes from the tenant scope; do not pass it.')
 * ```
 */
export class TenantScopeError extends UpstreamError {
  readonly code = 'tenant_scope'
}
