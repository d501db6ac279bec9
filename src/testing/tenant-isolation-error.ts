import { UpstreamError } from '../errors/index.js'
import type { IsolationFailure } from './isolation-rule.js'

/**
 * {@link assertTenantIsolation} found tables a tenant could read or write across: the message
 * lists every failure, one a line, each naming the table and the rule.
 *
 * @example
 * ```ts
 * await expect(assertTenantIsolation(upstream, ['products'])).resolves.toBeUndefined()
 * // or, when broken: TenantIsolationError: 1 tenant-isolation failure:
 * //   products [rls-forced]: row-level security is enabled but not forced ...
 * ```
 */
export class TenantIsolationError extends UpstreamError {
  readonly code = 'tenant_isolation'
  /** Every failure found. */
  readonly failures: readonly IsolationFailure[]
  constructor(failures: readonly IsolationFailure[]) {
    super(`${failures.length} tenant-isolation failure${failures.length === 1 ? '' : 's'}:\n${failures.map((f) => `  ${f.message}`).join('\n')}`)
    this.failures = failures
  }
}
