import { z } from 'zod'

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
