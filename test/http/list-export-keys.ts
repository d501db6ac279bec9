import type { ClaimsTenantScope } from '../../src/claims/index.js'

/** A read key of the tenant, for the export tests. */
export async function apiKeysOf(tenant: ClaimsTenantScope): Promise<string> {
  return tenant.transaction(async ({ apiKeys }) => (await apiKeys.create({ scopes: ['read'], label: 'export' })).token)
}
