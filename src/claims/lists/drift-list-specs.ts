import type { Kysely } from 'kysely'
import { DRIFT_GROUP_BYS, DRIFT_METRICS, DRIFT_SEVERITIES, type ClaimsDatabase } from '../core/index.js'
import { defineListSpec } from '../../list-query/index.js'
import { filter } from '../../list-query/index.js'

/**
 * GET `/drift/reports/`: drift reports, default `-computed_at`; ordering `computed_at`, `as_of`;
 * filters `as_of` (date lookups) and `group_by`.
 *
 * @example
 * ```ts
 * driftReportsListSpec.description.ordering.default // ['-computed_at']
 * ```
 */
export const driftReportsListSpec = defineListSpec({
  name: 'drift_reports',
  query: (db: Kysely<ClaimsDatabase>) => db.selectFrom('drift_reports').selectAll(),
  filters: {
    as_of: filter.date('as_of'),
    group_by: filter.enum('group_by', DRIFT_GROUP_BYS),
  },
  ordering: { fields: { computed_at: 'computed_at', as_of: 'as_of' }, default: ['-computed_at'] },
  pagination: { styles: ['page-number'] },
  maxOffset: 1_000_000,
})

/**
 * GET `/drift/events/` (docs/http-api.md): filters `report`, `payer_name`, `metric`,
 * `severity`; ordering `created_at`, `p_value`, `delta`; default `-created_at`.
 *
 * @example
 * ```ts
 * const query = driftEventsListSpec.parse({ severity: ['high', 'medium'], ordering: 'p_value' })
 * ```
 */
export const driftEventsListSpec = defineListSpec({
  name: 'drift_events',
  query: (db: Kysely<ClaimsDatabase>) => db.selectFrom('drift_events').selectAll(),
  filters: {
    report: filter.integer('report_id', { lookups: ['in'] }),
    payer_name: filter.text('payer_name'),
    cpt_code: filter.text('cpt_code', { lookups: ['in', 'isnull'] }),
    metric: filter.enum('metric', DRIFT_METRICS),
    severity: filter.enum('severity', DRIFT_SEVERITIES),
    p_value: filter.number('p_value', { lookups: ['gt', 'gte', 'lt', 'lte'] }),
  },
  ordering: { fields: { created_at: 'created_at', p_value: 'p_value', delta: 'delta' }, default: ['-created_at'] },
  pagination: { styles: ['page-number'] },
  maxOffset: 1_000_000,
})
