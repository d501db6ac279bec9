/**
 * The claims API's resource schemas (zod): the JSON of uploads, claims, drift reports and
 * events, statistics and the 422 of a refused upload.
 *
 * @example
 * ```ts
 * ClaimSchema.parse(await (await fetch(url)).json())
 * ```
 *
 * @module
 */
export {
  AMOUNT_PATTERN,
  AmountSchema,
  UploadSchema,
  ClaimSchema,
  DriftEventSchema,
  DriftReportSchema,
  DriftReportDetailSchema,
  UploadStatisticsSchema,
  IngestionRowErrorSchema,
  IngestionFailedSchema,
} from './resource-schemas.js'
