import type { Kysely } from 'kysely'
import { CLAIM_STATUSES, type ClaimsDatabase } from '../core/index.js'
import { defineListSpec } from '../../list-query/index.js'
import { filter } from '../../list-query/index.js'

/**
 * GET `/claims/` (docs/http-api.md): search `claim_number`, `payer_name`, `cpt_code`; filters
 * `status`, `payer_name`, `cpt_code`, `service_date`, `upload`, `min_amount`/`max_amount`
 * (billed_amount gte/lte), `date_after`/`date_before` (service_date gte/lte), plus the
 * `__in`/`__gt`/... lookups of each; ordering `service_date`, `billed_amount`, `created_at`,
 * `claim_number`, default `-service_date`; page-number by default, cursor with `cursor` or
 * `pagination=cursor`; estimated counts above 100,000 rows.
 *
 * @example
 * ```ts
 * const query = claimsListSpec.parse(new URLSearchParams('status=paid&min_amount=100.00&ordering=-billed_amount'))
 * ```
 */
export const claimsListSpec = defineListSpec({
  name: 'claims',
  query: (db: Kysely<ClaimsDatabase>) => db.selectFrom('claim_records').selectAll(),
  filters: {
    status: filter.enum('status', CLAIM_STATUSES),
    payer_name: filter.text('payer_name'),
    cpt_code: filter.text('cpt_code'),
    service_date: filter.date('service_date'),
    upload: filter.integer('upload_id', { lookups: ['in'] }),
    min_amount: filter.decimal('billed_amount', { as: 'gte', lookups: [] }),
    max_amount: filter.decimal('billed_amount', { as: 'lte', lookups: [] }),
    billed_amount: filter.decimal('billed_amount'),
    date_after: filter.date('service_date', { as: 'gte', lookups: [] }),
    date_before: filter.date('service_date', { as: 'lte', lookups: [] }),
    created_at: filter.timestamp('created_at', { lookups: ['gt', 'gte', 'lt', 'lte', 'range'] }),
    paid_amount: filter.decimal('paid_amount', { lookups: ['gt', 'gte', 'lt', 'lte', 'range', 'isnull'] }),
    denial_reason: filter.text('denial_reason', { lookups: ['icontains', 'isnull'] }),
  },
  search: ['claim_number', 'payer_name', 'cpt_code'],
  // one trigram index on the joined fields (claims migration 0010) serves every term
  searchVia: { from: 'claim_records_search', key: 'id', column: 'search_text' },
  // a frequent term's page along the ordering's index (docs/list-queries.md, "Searches")
  searchWalk: 2000,
  ordering: {
    fields: { service_date: 'service_date', billed_amount: 'billed_amount', created_at: 'created_at', claim_number: 'claim_number' },
    default: ['-service_date'],
  },
  pagination: { styles: ['page-number', 'cursor'], default: 'page-number' },
  count: { kind: 'estimated', threshold: 100_000 },
  maxOffset: 1_000_000,
})

/**
 * GET `/uploads/{id}/claim_records/`: one upload's claims, ordered by `claim_number` (fixed), page-number.
 *
 * @example
 * ```ts
 * uploadClaimsListSpec.description.ordering.default // ['claim_number']
 * ```
 */
export const uploadClaimsListSpec = defineListSpec({
  name: 'upload_claims',
  query: (db: Kysely<ClaimsDatabase>) => db.selectFrom('claim_records').selectAll(),
  ordering: { fields: { claim_number: 'claim_number' }, default: ['claim_number'], param: false },
  pagination: { styles: ['page-number'] },
  maxOffset: 1_000_000,
})
