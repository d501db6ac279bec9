import { z } from 'zod'
import { CLAIM_STATUSES, DRIFT_METRICS, DRIFT_SEVERITIES, UPLOAD_STATUSES } from '../db/database.js'
import type { ListDescription, QueryParameterDescription } from './list-description.js'

// TODO(openapi): replace with the list specs' own descriptions (src/lists) once they land.

const ordering = (fields: readonly string[], byDefault: string): QueryParameterDescription => ({
  name: 'ordering',
  schema: z.enum(fields.flatMap((f) => [f, `-${f}`]) as [string, ...string[]]),
  commaSeparated: true,
  description: `Comma-separated terms of ${fields.join(', ')} (\`-\` for descending); default \`${byDefault}\`.`,
})
const search = (fields: readonly string[]): QueryParameterDescription => ({
  name: 'search',
  schema: z.string(),
  description: `Terms separated by whitespace or commas; each must match ${fields.join(', ')} (case-insensitive substring).`,
})
const page: QueryParameterDescription = {
  name: 'page',
  schema: z.union([z.number().int().min(1), z.literal('last')]),
  description: 'A 1-based page number, or `last`.',
}
const pageSize: QueryParameterDescription = {
  name: 'page_size',
  schema: z.number().int().min(1),
  description: 'Rows per page; default 50, clamped to 500.',
}
const decimal = z.string().regex(/^\d{1,10}(\.\d{1,2})?$/)
const date = z.iso.date()
const id = z.number().int().min(1)

/** Provisional descriptions of the CONTRACT lists, until `src/lists` describes them. */
export const provisionalLists = {
  uploads: {
    pagination: ['page-number'],
    parameters: [
      page,
      pageSize,
      { name: 'status', schema: z.enum(UPLOAD_STATUSES), explode: true },
      search(['filename']),
      ordering(['uploaded_at', 'filename', 'row_count'], '-uploaded_at'),
    ],
  },
  uploadClaimRecords: { pagination: ['page-number'], parameters: [page, pageSize] },
  recentWithErrors: { pagination: ['page-number'], parameters: [page, pageSize] },
  claims: {
    pagination: ['page-number', 'cursor'],
    parameters: [
      page,
      pageSize,
      { name: 'cursor', schema: z.string(), description: 'An opaque cursor from a `next`/`previous` URL.' },
      { name: 'pagination', schema: z.enum(['cursor']), description: '`cursor` for cursor pagination.' },
      { name: 'status', schema: z.enum(CLAIM_STATUSES), explode: true },
      { name: 'payer_name', schema: z.string(), explode: true },
      { name: 'cpt_code', schema: z.string(), explode: true },
      { name: 'service_date', schema: date, explode: true },
      { name: 'upload', schema: id, explode: true },
      { name: 'min_amount', schema: decimal },
      { name: 'max_amount', schema: decimal },
      { name: 'date_after', schema: date },
      { name: 'date_before', schema: date },
      search(['claim_number', 'payer_name', 'cpt_code']),
      ordering(['service_date', 'billed_amount', 'created_at', 'claim_number'], '-service_date'),
    ],
  },
  driftReports: { pagination: ['page-number'], parameters: [page, pageSize] },
  driftEvents: {
    pagination: ['page-number'],
    parameters: [
      page,
      pageSize,
      { name: 'report', schema: id, explode: true },
      { name: 'payer_name', schema: z.string(), explode: true },
      { name: 'metric', schema: z.enum(DRIFT_METRICS), explode: true },
      { name: 'severity', schema: z.enum(DRIFT_SEVERITIES), explode: true },
      ordering(['created_at', 'p_value', 'delta'], '-created_at'),
    ],
  },
} satisfies Record<string, ListDescription>

/** Provisional statistics query, until `src/ingestion` exports it. */
export const provisionalStatisticsQuery = z.object({ start_date: date.optional(), end_date: date.optional() })
