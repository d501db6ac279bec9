import { UpstreamError, type ErrorBody } from './upstream-error.js'

/**
 * Messages per parameter, in Django REST Framework's shape: `{"page": ["Invalid page."]}`.
 * Errors of the request as a whole go under `non_field_errors` (or `detail`).
 *
 * @example
 * ```ts
 * const fields: FieldErrors = { page_size: ['A valid integer is required.'], ordering: ['Unknown ordering field: amount.'] }
 * throw new ValidationError(fields) // the HTTP layer answers 400 with `fields` as the body
 * ```
 */
export type FieldErrors = Readonly<Record<string, readonly string[]>>

/**
 * Bad input from a client: every problem of one request, per parameter.
 * The HTTP layer answers it with 400 and {@link ValidationError.fields} as the body.
 *
 * @example
 * ```ts
 * throw new ValidationError({ min_amount: ['A valid number is required.'] })
 * ```
 */
export class ValidationError extends UpstreamError {
  readonly code = 'validation_error'
  override readonly status = 400
  override responseBody(): ErrorBody {
    return this.fields
  }
  /** Messages per parameter. */
  readonly fields: FieldErrors
  constructor(fields: FieldErrors, options?: { cause?: unknown }) {
    super(
      Object.entries(fields)
        .map(([k, v]) => `${k}: ${v.join(' ')}`)
        .join('; ') || 'Invalid input.',
      options,
    )
    this.fields = Object.freeze({ ...fields })
  }
}
