import { z } from 'zod'
import { UploadSchema } from '../claims/openapi/resource-schemas.js'

/**
 * The body of every error but 400: `{"detail": "..."}` (401, 403, 404, 409, 413, 415, 429, 503).
 *
 * @example
 * ```ts
 * ErrorDetailSchema.parse({ detail: 'Invalid page.' })
 * ```
 */
export const ErrorDetailSchema = z
  .strictObject({ detail: z.string() })
  .meta({ id: 'ErrorDetail', description: 'An error message, as Django REST Framework writes it.', example: { detail: 'Not found.' } })

/**
 * The body of a 400 in Django REST Framework's shape: messages per parameter.
 *
 * @example
 * ```ts
 * ValidationErrorBodySchema.parse({ page_size: ['A valid integer is required.'] })
 * ```
 */
export const ValidationErrorBodySchema = z
  .record(z.string(), z.array(z.string()))
  .meta({
    id: 'ValidationErrorBody',
    description: 'Messages per offending parameter (or `detail` for the request as a whole).',
    example: { ordering: ['Unknown ordering field: amount.'] },
  })

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
