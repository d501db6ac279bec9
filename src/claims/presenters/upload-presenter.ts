import type { z } from 'zod'
import type { UploadSchema } from '../openapi/index.js'
import type { Upload } from '../core/index.js'
import { presentTimestamp } from '../../http/index.js'

/**
 * An upload as the API returns it (docs/http-api.md).
 *
 * @example
 * ```ts
 * const upload: UploadJson = presentUpload(row)
 * ```
 */
export type UploadJson = Readonly<z.output<typeof UploadSchema>>

/**
 * An upload row as JSON: timestamps in ISO 8601 UTC and `processing_time` in seconds.
 *
 * @example
 * ```ts
 * presentUpload(row) // { id: 1, filename: 'a.csv', status: 'success', ..., processing_time: 0.42 }
 * ```
 */
export function presentUpload(row: Upload): UploadJson {
  const started = row.processing_started_at
  const completed = row.processing_completed_at
  return {
    id: row.id,
    filename: row.filename,
    status: row.status,
    row_count: row.row_count,
    error_message: row.error_message,
    uploaded_at: presentTimestamp(row.uploaded_at)!,
    processing_started_at: presentTimestamp(started),
    processing_completed_at: presentTimestamp(completed),
    processing_time: started && completed ? (new Date(completed).getTime() - new Date(started).getTime()) / 1000 : null,
  }
}
