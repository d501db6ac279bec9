/**
 * Tools for an app's own test suite: {@link checkTenantIsolation} and
 * {@link assertTenantIsolation} verify that each named table keeps tenants apart, from the
 * catalog (row-level security enabled and forced, the tenant policy, a runtime role that
 * cannot bypass it, keys, foreign keys and an index led by the tenant column) and with an
 * active probe (rows written as one tenant are invisible to another and cannot be written
 * with its id).
 *
 * @example
 * ```ts
 * import { assertTenantIsolation } from '@upstreamjs/upstream/testing'
 * it('keeps tenants apart', () => assertTenantIsolation(upstream, [
 *   { table: 'projects', sample: (db, id) => db.insertInto('projects').values({ customer_id: id, name: 'p' }).execute() },
 * ]))
 * ```
 *
 * @packageDocumentation
 * @module testing
 */
export { assertTenantIsolation, checkTenantIsolation } from './check-tenant-isolation.js'
export type { IsolatedTable } from './check-tenant-isolation.js'
export type { IsolationFailure, IsolationReport, IsolationRule } from './isolation-rule.js'
export { TenantIsolationError } from './tenant-isolation-error.js'
