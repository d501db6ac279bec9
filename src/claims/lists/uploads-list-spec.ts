import type { Kysely } from 'kysely'
import { UPLOAD_STATUSES, type ClaimsDatabase } from '../core/index.js'
import { defineListSpec } from '../../list-query/index.js'
import { filter } from '../../list-query/index.js'

/**
 * GET `/uploads/` (docs/http-api.md): filter `status`; search `filename`; ordering
 * `uploaded_at`, `filename`, `row_count` (nullable: NULLs sort as the largest value); default
 * `-uploaded_at`; page-number.
 *
 * @example
 * ```ts
 * const query = uploadsListSpec.parse({ status: 'failed', ordering: 'filename' })
 * ```
 */
export const uploadsListSpec = defineListSpec({
  name: 'uploads',
  query: (db: Kysely<ClaimsDatabase>) => db.selectFrom('uploads').selectAll(),
  filters: {
    status: filter.enum('status', UPLOAD_STATUSES),
    uploaded_at: filter.timestamp('uploaded_at', { lookups: ['gt', 'gte', 'lt', 'lte', 'range'] }),
    row_count: filter.integer('row_count', { lookups: ['gt', 'gte', 'lt', 'lte', 'isnull'] }),
  },
  search: ['filename'],
  searchVia: { from: 'uploads_search', key: 'id' },
  ordering: {
    fields: { uploaded_at: 'uploaded_at', filename: 'filename', row_count: { column: 'row_count', nullable: true } },
    default: ['-uploaded_at'],
  },
  pagination: { styles: ['page-number'] },
  maxOffset: 1_000_000,
})

/**
 * GET `/uploads/recent_with_errors/`: failed uploads, `-uploaded_at`, no filters, page-number.
 *
 * @example
 * ```ts
 * failedUploadsListSpec.description.parameters.map((p) => p.name) // ['page', 'page_size']
 * ```
 */
export const failedUploadsListSpec = defineListSpec({
  name: 'failed_uploads',
  query: (db: Kysely<ClaimsDatabase>) => db.selectFrom('uploads').selectAll().where('status', '=', 'failed'),
  ordering: { fields: { uploaded_at: 'uploaded_at' }, default: ['-uploaded_at'], param: false },
  pagination: { styles: ['page-number'] },
  maxOffset: 1_000_000,
})
