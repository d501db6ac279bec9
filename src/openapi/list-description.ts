import type { ZodType } from 'zod'

/**
 * The pagination styles a list can answer with (the same names as the list-query module's
 * `PaginationStyle`).
 *
 * @example
 * ```ts
 * const style: PageStyle = 'cursor'
 * ```
 */
export type PageStyle = 'page-number' | 'limit-offset' | 'cursor'

/**
 * One query parameter of a list, as the OpenAPI generator documents it.
 *
 * @example
 * ```ts
 * const status: QueryParameterDescription = { name: 'status', schema: z.enum(CLAIM_STATUSES), explode: true }
 * ```
 */
export interface QueryParameterDescription {
  /** The parameter's name in the query string. */
  readonly name: string
  /** The schema of ONE value (a repeatable or comma-separated parameter is documented as an array of it). */
  readonly schema: ZodType
  /** Prose for the reference page. */
  readonly description?: string | undefined
  /** Given twice, it matches any of its values: `style: form, explode: true`. */
  readonly explode?: boolean | undefined
  /** One value is a comma-separated list (`ordering=-a,b`): `style: form, explode: false`. */
  readonly commaSeparated?: boolean | undefined
}

/**
 * One key of a page envelope (the same shape as the list-query module's `EnvelopeKey`).
 *
 * @example
 * ```ts
 * const key: PageEnvelopeKey = { name: 'count', type: 'integer', nullable: false, required: true, description: 'Rows over all pages.' }
 * ```
 */
export interface PageEnvelopeKey {
  readonly name: string
  readonly type: 'integer' | 'uri' | 'array' | 'boolean'
  readonly nullable: boolean
  readonly required: boolean
  readonly description: string
}

/**
 * What the OpenAPI generator documents of one list endpoint: its query parameters and its
 * pagination styles (the first is the default), optionally with each style's envelope keys.
 *
 * @example
 * ```ts
 * const description: ListDescription = { parameters: [{ name: 'search', schema: z.string() }], pagination: ['page-number'] }
 * ```
 */
export interface ListDescription {
  /** The list's name (`claims`); names the envelope component when two lists of one row type differ. */
  readonly name?: string | undefined
  /** Every query parameter the list accepts, in documentation order. */
  readonly parameters: readonly QueryParameterDescription[]
  /** The envelopes it can answer with; the first is the default. */
  readonly pagination: readonly PageStyle[]
  /** The keys of each style's envelope; absent: the standard envelopes. */
  readonly envelopes?: readonly { readonly style: PageStyle; readonly keys: readonly PageEnvelopeKey[] }[]
}
