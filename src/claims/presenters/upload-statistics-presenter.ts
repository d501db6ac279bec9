import type { z } from 'zod'
import type { UploadStatisticsSchema } from '../openapi/index.js'
/**
 * The answer of `GET /uploads/statistics/` (docs/http-api.md).
 *
 * @example
 * ```ts
 * const stats: UploadStatisticsJson = presentUploadStatistics(await uploadStatistics(tenant, query))
 * ```
 */
export type UploadStatisticsJson = Readonly<z.output<typeof UploadStatisticsSchema>>

/**
 * Upload statistics as a service computes them (numbers may arrive as strings from SQL).
 *
 * @example
 * ```ts
 * presentUploadStatistics({ totalUploads: 3n, successCount: 2, failedCount: 1, avgProcessingTime: '0.5' })
 * ```
 */
export interface UploadStatisticsInput {
  readonly total_uploads?: number | string | bigint
  readonly success_count?: number | string | bigint
  readonly failed_count?: number | string | bigint
  readonly avg_processing_time?: number | string | null
  readonly totalUploads?: number | string | bigint
  readonly successCount?: number | string | bigint
  readonly failedCount?: number | string | bigint
  readonly avgProcessingTime?: number | string | null
}

function count(value: number | string | bigint | undefined): number {
  return value === undefined ? 0 : Number(value)
}

/**
 * Upload statistics as JSON: counts as integers, the average in seconds or `null`.
 * Takes snake_case or camelCase fields.
 *
 * @example
 * ```ts
 * presentUploadStatistics({ total_uploads: '3', success_count: 2, failed_count: 1, avg_processing_time: null })
 * // { total_uploads: 3, success_count: 2, failed_count: 1, avg_processing_time: null }
 * ```
 */
export function presentUploadStatistics(stats: UploadStatisticsInput): UploadStatisticsJson {
  const avg = stats.avg_processing_time ?? stats.avgProcessingTime ?? null
  return {
    total_uploads: count(stats.total_uploads ?? stats.totalUploads),
    success_count: count(stats.success_count ?? stats.successCount),
    failed_count: count(stats.failed_count ?? stats.failedCount),
    avg_processing_time: avg === null ? null : Number(avg),
  }
}
