import type { ZodType } from 'zod'
import type { PageStyle } from './page-schemas.js'

/**
 * One query parameter of a list, as the OpenAPI generator needs it.
 *
 * @example
 * ```ts
 * const status: QueryParameterDescription = { name: 'status', schema: z.enum(CLAIM_STATUSES), repeatable: true }
 * ```
 */
export interface QueryParameterDescription {
  /** The parameter's name in the query string. */
  readonly name: string
  /** The schema of ONE value (a repeatable parameter is documented as an array of it). */
  readonly schema: ZodType
  /** Prose for the reference page. */
  readonly description?: string | undefined
  /** Given twice, it matches any of its values (`style: form, explode: true`). */
  readonly repeatable?: boolean | undefined
}

/**
 * What the OpenAPI generator documents of one list endpoint: its query parameters and its
 * pagination styles (the first is the default).
 *
 * @example
 * ```ts
 * const description: ListDescription = { parameters: [{ name: 'search', schema: z.string() }], pagination: ['page_number'] }
 * ```
 */
export interface ListDescription {
  /** Every query parameter the list accepts, in documentation order. */
  readonly parameters: readonly QueryParameterDescription[]
  /** The envelopes it can answer with; the first is the default. */
  readonly pagination: readonly PageStyle[]
}
