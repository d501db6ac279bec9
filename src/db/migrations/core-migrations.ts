import { tenantsAndApiKeys } from './0001-tenants-and-api-keys.js'
import { dataVersions } from './0002-data-versions.js'
import { tenantDataVersionTrigger } from './0003-tenant-data-version-trigger.js'
import { distributedCountEstimate } from './0004-distributed-count-estimate.js'
import { cachedKeyLookup } from './0005-cached-key-lookup.js'
import { defineMigrationSet } from './migration-set.js'

/**
 * The tenancy core's migrations (history table `core_migration`): the schema, the runtime
 * role, `customers`, `api_keys` and `authenticate_api_key` under forced row-level security,
 * `data_versions` with its trigger functions, and `count_estimate` (which reads a Citus
 * coordinator's plans too, 0004); 0005 makes the key lookup PL/pgSQL, so its plan is kept per connection. Every app runs it, first;
 * {@link migrateToLatest} runs it when no set is named, and before any set that requires it.
 *
 * @example
 * ```ts
 * await migrateToLatest(upstream, { sets: [coreMigrations] })
 * // ['core/0001-tenants-and-api-keys', 'core/0002-data-versions', 'core/0003-tenant-data-version-trigger', 'core/0004-distributed-count-estimate', 'core/0005-cached-key-lookup']
 * ```
 */
export const coreMigrations = defineMigrationSet({
  name: 'core',
  migrations: (ctx) => ({
    '0001-tenants-and-api-keys': tenantsAndApiKeys(ctx),
    '0002-data-versions': dataVersions(ctx),
    '0003-tenant-data-version-trigger': tenantDataVersionTrigger(ctx),
    '0004-distributed-count-estimate': distributedCountEstimate(ctx),
    '0005-cached-key-lookup': cachedKeyLookup(ctx),
  }),
})
