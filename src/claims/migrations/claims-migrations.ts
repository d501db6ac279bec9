import { coreMigrations, defineMigrationSet } from '../../db/index.js'
import { initialSchema } from './0001-initial-schema.js'
import { searchIndexes } from './0002-search-indexes.js'
import { driftCoveringIndex } from './0003-drift-covering-index.js'
import { uploadStatusTransitions } from './0004-upload-status-transitions.js'
import { abandonedUploadSweep } from './0008-abandoned-upload-sweep.js'
import { backgroundJobs } from './0009-background-jobs.js'
import { indexBudget } from './0010-index-budget.js'

/**
 * The claims domain's migrations (history table `claims_migration`): uploads, claim records,
 * drift reports and events under the tenant's row-level security, their search indexes and
 * views, data-version triggers, the drift covering index, the upload status transitions, the
 * sweep of abandoned uploads, and the stored bodies and row errors of uploads (0009).
 * Requires {@link coreMigrations}, which {@link db!migrateToLatest} runs first.
 *
 * A new claims migration is a new file in `src/claims/migrations/` and one line here, named
 * with the next number (`0005-...`); never edit a shipped one.
 *
 * @example
 * ```ts
 * await migrateToLatest(upstream, { sets: [claimsMigrations] })
 * // ['core/0001-tenants-and-api-keys', 'core/0002-data-versions', 'core/0003-tenant-data-version-trigger', 'core/0004-distributed-count-estimate', 'core/0005-cached-key-lookup',
 * //  'claims/0001-initial-schema', 'claims/0002-search-indexes', 'claims/0003-drift-covering-index', 'claims/0004-upload-status-transitions']
 * ```
 */
export const claimsMigrations = defineMigrationSet({
  name: 'claims',
  requires: [coreMigrations],
  migrations: (ctx) => ({
    '0001-initial-schema': initialSchema(ctx),
    '0002-search-indexes': searchIndexes(ctx),
    '0003-drift-covering-index': driftCoveringIndex(ctx),
    '0004-upload-status-transitions': uploadStatusTransitions(ctx),
    '0008-abandoned-upload-sweep': abandonedUploadSweep(ctx),
    '0009-background-jobs': backgroundJobs(ctx),
    '0010-index-budget': indexBudget(ctx),
  }),
})
