/**
 * Tenants: {@link forTenant} scopes (every unit of work a transaction with the tenant set
 * and row-level security forced), customers, API keys and the token lookup that runs
 * before a tenant is known, and row locks for repositories.
 *
 * @example
 * ```ts
 * import { forTenant, resolveApiKey } from '@upstreamjs/upstream/tenancy'
 * const key = await resolveApiKey(upstream, token)
 * if (key) await forTenant(upstream, key.customerId).read(({ db }) => db.selectFrom('products').selectAll().execute())
 * ```
 *
 * @packageDocumentation
 * @module tenancy
 */
export { forTenant } from './for-tenant.js'
export type { TenantScope, TenantReadOptions } from './for-tenant.js'
export { TENANT_READ_ATTEMPTS } from './tenant-read.js'
export { tenantContext } from './tenant-context.js'
export type { TenantContext } from './tenant-context.js'
export { TENANT_SETTING } from './tenant-setting.js'
export { assertTenantId } from './tenant-id.js'
export { createCustomer } from './create-customer.js'
export { ensureCustomer } from './ensure-customer.js'
export { resolveApiKey } from './resolve-api-key.js'
export type { ResolvedApiKey } from './resolve-api-key.js'
export { hashApiToken, generateApiToken } from './api-token.js'
export { ApiKeysRepository, API_KEY_SCOPES } from './repositories/api-keys-repository.js'
export type { ApiKeyScope, CreatedApiKey } from './repositories/api-keys-repository.js'
export { applyRowLock } from './repositories/apply-row-lock.js'
export type { RowLockOptions } from './repositories/row-lock-options.js'
export { refuseCustomerId } from './repositories/refuse-customer-id.js'
export { tenantTable } from './tenant-table.js'
export type { TenantTableOptions } from './tenant-table.js'
export { TenantTableError } from './tenant-table-error.js'
