import { sql } from 'kysely'
import type { ClaimsTenantScope } from '../core/index.js'
import { parseUploadStatisticsQuery, type UploadStatisticsParams, type UploadStatisticsQuery } from './upload-statistics-query.js'

/**
 * `GET /uploads/statistics/` (docs/http-api.md).
 *
 * @example
 * ```ts
 * const stats: UploadStatistics = await uploadStatistics(claimsTenant(upstream, 7))
 * const successRate = stats.total_uploads === 0 ? null : stats.success_count / stats.total_uploads
 * ```
 */
export interface UploadStatistics {
  /** Uploads in the range, whatever their status. */
  readonly total_uploads: number
  /** Of which `success`. */
  readonly success_count: number
  /** Of which `failed`. */
  readonly failed_count: number
  /** Mean seconds from `processing_started_at` to `processing_completed_at` over uploads with both; `null` if none. */
  readonly avg_processing_time: number | null
}

/**
 * Upload statistics of one tenant over an optional inclusive range of UTC dates of
 * `uploaded_at`, in ONE aggregate query (counts with `FILTER`, the mean of the processing
 * durations in seconds) in a short read-only transaction. Takes a parsed query or the raw
 * query parameters (`URLSearchParams` or an object) (then parsed strictly: a malformed date is a `ValidationError`).
 * The range is applied as `uploaded_at >= start 00:00 UTC and uploaded_at < (end + 1 day)
 * 00:00 UTC`, so the `(customer_id, uploaded_at, id)` index serves it.
 *
 * @example
 * ```ts
 * const stats = await uploadStatistics(claimsTenant(upstream, 7), { start_date: '2024-01-01', end_date: '2024-01-31' })
 * // { total_uploads: 12, success_count: 10, failed_count: 2, avg_processing_time: 3.25 }
 * ```
 * ```sql
 * select count(*)::int, count(*) filter (where status = 'success')::int, count(*) filter (where status = 'failed')::int,
 *        avg(extract(epoch from processing_completed_at - processing_started_at))::float8
 * from upstream.uploads where customer_id = $1 and uploaded_at >= ($2::date::timestamp at time zone 'UTC') and ...
 * ```
 */
export async function uploadStatistics(tenant: ClaimsTenantScope, query: UploadStatisticsQuery | UploadStatisticsParams = {}): Promise<UploadStatistics> {
  const { start_date, end_date } = parseUploadStatisticsQuery(query as UploadStatisticsParams)
  const uploads = sql.id(tenant.upstream.schema, 'uploads')
  const from = start_date === undefined ? sql`` : sql`and uploaded_at >= (${start_date}::date::timestamp at time zone 'UTC')`
  const to = end_date === undefined ? sql`` : sql`and uploaded_at < ((${end_date}::date + 1)::timestamp at time zone 'UTC')`
  const row = await tenant.read(async ({ db, customerId }) => {
    const { rows } = await sql<{ total_uploads: number; success_count: number; failed_count: number; avg_processing_time: number | null }>`
      select
        count(*)::int as total_uploads,
        (count(*) filter (where status = 'success'))::int as success_count,
        (count(*) filter (where status = 'failed'))::int as failed_count,
        (avg(extract(epoch from processing_completed_at - processing_started_at))
          filter (where processing_started_at is not null and processing_completed_at is not null))::float8 as avg_processing_time
      from ${uploads}
      where customer_id = ${customerId} ${from} ${to}`.execute(db)
    return rows[0]
  })
  return {
    total_uploads: Number(row?.total_uploads ?? 0),
    success_count: Number(row?.success_count ?? 0),
    failed_count: Number(row?.failed_count ?? 0),
    avg_processing_time: row?.avg_processing_time == null ? null : Number(row.avg_processing_time),
  }
}
