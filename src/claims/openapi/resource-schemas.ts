import { z } from 'zod'
import { CLAIM_STATUSES, DRIFT_GROUP_BYS, DRIFT_METRICS, DRIFT_SEVERITIES, UPLOAD_STATUSES } from '../core/index.js'

/**
 * The wire format of an amount: a decimal string with exactly two places (`"1234.50"`).
 *
 * @example
 * ```ts
 * AMOUNT_PATTERN.test('1234.50') // true
 * AMOUNT_PATTERN.test('1234.5') // false
 * ```
 */
export const AMOUNT_PATTERN = /^\d+\.\d{2}$/

/**
 * An amount as the API writes it: a string with two decimals, never a float.
 *
 * @example
 * ```ts
 * AmountSchema.parse('1234.50') // ok
 * ```
 */
export const AmountSchema = z
  .string()
  .regex(AMOUNT_PATTERN)
  .meta({ description: 'A decimal amount as a string with two places, e.g. "1234.50".', example: '1234.50' })

const id = () => z.number().int().min(1)
const date = () => z.iso.date()
const dateTime = () => z.iso.datetime({ offset: true })

/**
 * An upload as the API answers it (the HTTP API guide, "Upload fields").
 *
 * @example
 * ```ts
 * registry.registerPath({ method: 'get', path: '/uploads/{id}/', responses: { 200: { description: 'One upload', content: { 'application/json': { schema: UploadSchema } } } } })
 * ```
 */
export const UploadSchema = z
  .strictObject({
    id: id(),
    filename: z.string(),
    status: z.enum(UPLOAD_STATUSES),
    row_count: z.number().int().min(0).nullable(),
    error_message: z.string().nullable(),
    uploaded_at: dateTime(),
    processing_started_at: dateTime().nullable(),
    processing_completed_at: dateTime().nullable(),
    processing_time: z.number().min(0).nullable().meta({ description: 'Seconds between processing start and completion, or null.' }),
  })
  .meta({ id: 'Upload', description: 'One CSV file of claims and its processing state.' })

/**
 * A claim record as the API answers it (the HTTP API guide, "Claim fields").
 *
 * @example
 * ```ts
 * const claim = ClaimSchema.parse(await (await fetch(url)).json())
 * ```
 */
export const ClaimSchema = z
  .strictObject({
    id: id(),
    upload_id: id(),
    claim_number: z.string(),
    payer_name: z.string(),
    cpt_code: z.string(),
    service_date: date(),
    billed_amount: AmountSchema,
    allowed_amount: AmountSchema.nullable(),
    paid_amount: AmountSchema.nullable(),
    status: z.enum(CLAIM_STATUSES),
    denial_reason: z.string().nullable(),
    created_at: dateTime(),
  })
  .meta({ id: 'Claim', description: 'One healthcare claim line of an upload.' })

/**
 * A drift event: one significant change of one metric for one group (docs/http-api.md).
 *
 * @example
 * ```ts
 * const events = z.array(DriftEventSchema).parse(body.events)
 * ```
 */
export const DriftEventSchema = z
  .strictObject({
    id: id(),
    report_id: id(),
    payer_name: z.string(),
    cpt_code: z.string().nullable(),
    metric: z.enum(DRIFT_METRICS),
    baseline_value: z.number(),
    current_value: z.number(),
    delta: z.number(),
    baseline_n: z.number().int().min(0),
    current_n: z.number().int().min(0),
    p_value: z.number().min(0).max(1),
    adjusted_p_value: z.number().min(0).max(1),
    severity: z.enum(DRIFT_SEVERITIES),
    created_at: dateTime(),
  })
  .meta({ id: 'DriftEvent', description: 'A significant change of one metric for one payer (or payer and CPT code).' })

const driftReportShape = {
  id: id(),
  as_of: date(),
  baseline_start: date(),
  baseline_end: date(),
  current_start: date(),
  current_end: date(),
  group_by: z.enum(DRIFT_GROUP_BYS),
  min_claims: z.number().int().min(1),
  alpha: z.number().gt(0).lt(1),
  groups_tested: z.number().int().min(0),
  events_count: z.number().int().min(0),
  computed_at: dateTime(),
  duration_ms: z.number().min(0),
}

/**
 * A drift report as listed (without its events).
 *
 * @example
 * ```ts
 * const report = DriftReportSchema.parse(body)
 * ```
 */
export const DriftReportSchema = z
  .strictObject(driftReportShape)
  .meta({ id: 'DriftReport', description: 'One run of drift detection.' })

/**
 * A drift report with its events (the detail view and the answer of a run).
 *
 * @example
 * ```ts
 * const { events } = DriftReportDetailSchema.parse(body)
 * ```
 */
export const DriftReportDetailSchema = z
  .strictObject({ ...driftReportShape, events: z.array(DriftEventSchema) })
  .meta({ id: 'DriftReportDetail', description: 'One run of drift detection with its events.' })

/**
 * The answer of `GET /uploads/statistics/`.
 *
 * @example
 * ```ts
 * const { total_uploads } = UploadStatisticsSchema.parse(body)
 * ```
 */
export const UploadStatisticsSchema = z
  .strictObject({
    total_uploads: z.number().int().min(0),
    success_count: z.number().int().min(0),
    failed_count: z.number().int().min(0),
    avg_processing_time: z
      .number()
      .min(0)
      .nullable()
      .meta({ description: 'Mean seconds over uploads with both processing timestamps; null if none.' }),
  })
  .meta({ id: 'UploadStatistics', description: 'Counts and mean processing time of uploads.' })

/**
 * One row error of a refused CSV upload.
 *
 * @example
 * ```ts
 * IngestionRowErrorSchema.parse({ line: 3, column: 'service_date', message: 'Invalid date.' })
 * ```
 */
export const IngestionRowErrorSchema = z
  .strictObject({
    line: z.number().int().min(1).meta({ description: '1-based line of the file.' }),
    column: z.string().nullable().meta({ description: 'The column, or null for an error of the whole row.' }),
    message: z.string(),
  })
  .meta({ id: 'IngestionRowError' })

/**
 * The body of a 422: the upload ended `failed`, no claim row landed.
 *
 * @example
 * ```ts
 * const { errors } = IngestionFailedSchema.parse(body)
 * ```
 */
export const IngestionFailedSchema = z
  .strictObject({
    detail: z.string(),
    upload: UploadSchema,
    errors: z.array(IngestionRowErrorSchema).max(100),
  })
  .meta({ id: 'IngestionFailed', description: 'A refused CSV file: the upload (status `failed`) and its first 100 row errors.' })
