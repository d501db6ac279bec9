/**
 * Streaming claim ingestion (docs/http-api.md) and upload statistics.
 *
 * @module
 */
export { ingestUpload, DEFAULT_MAX_UPLOAD_BYTES, DEFAULT_MAX_UPLOAD_ERRORS, PROGRESS_EVERY_ROWS } from './ingest-upload.js'
export type { UploadIngestionInput } from './ingest-upload.js'
export type { UploadBody } from './upload-body.js'
export type { UploadRowError } from './upload-row-error.js'
export { CLAIM_CSV_COLUMNS } from './claim-csv-columns.js'
export type { ClaimCsvColumn } from './claim-csv-columns.js'
export { claimCsvRowSchema } from './claim-csv-row-schema.js'
export type { ClaimCsvRow } from './claim-csv-row-schema.js'
export { IngestionFailedError } from './ingestion-failed-error.js'
export { PayloadTooLargeError } from './payload-too-large-error.js'
export { TooManyRowsError } from './too-many-rows-error.js'
export { EmptyUploadError } from './empty-upload-error.js'
export { UploadBodyError } from './upload-body-error.js'
export { UploadStatusConflictError } from './upload-status-conflict-error.js'
export { uploadStatistics } from './upload-statistics.js'
export type { UploadStatistics } from './upload-statistics.js'
export { uploadStatisticsQuerySchema, parseUploadStatisticsQuery } from './upload-statistics-query.js'
export type { UploadStatisticsQuery, UploadStatisticsParams } from './upload-statistics-query.js'
