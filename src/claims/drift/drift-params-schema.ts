import { z } from 'zod'
import { DRIFT_GROUP_BYS } from '../core/index.js'

/**
 * The largest `baseline_days` or `current_days` accepted: ten years (3650 days).
 *
 * @example
 * ```ts
 * parseDriftParams({ baseline_days: 4000 })
 * // throws ValidationError { baseline_days: ['Ensure this value is less than or equal to 3650.'] }
 * ```
 */
export const DRIFT_MAX_WINDOW_DAYS = 3650
/**
 * The largest `min_claims` accepted: 1,000,000 (the smallest is 2).
 *
 * @example
 * ```ts
 * parseDriftParams({ min_claims: 2_000_000 })
 * // throws ValidationError { min_claims: ['Ensure this value is less than or equal to 1000000.'] }
 * ```
 */
export const DRIFT_MAX_MIN_CLAIMS = 1_000_000
/**
 * The earliest `as_of` accepted, `1900-01-01` (windows reach back up to 20 years from it).
 *
 * @example
 * ```ts
 * parseDriftParams({ as_of: '1899-12-31' })
 * // throws ValidationError { as_of: ['Ensure this date is on or after 1900-01-01.'] }
 * ```
 */
export const DRIFT_MIN_AS_OF = '1900-01-01'

const integer = (min: number, max: number, fallback: number, description: string) =>
  z
    .int({ error: 'A valid integer is required.' })
    .min(min, { error: `Ensure this value is greater than or equal to ${min}.` })
    .max(max, { error: `Ensure this value is less than or equal to ${max}.` })
    .default(fallback)
    .meta({ description, example: fallback })

/**
 * Today's date in UTC as `YYYY-MM-DD` (the default `as_of`).
 *
 * @example
 * ```ts
 * todayUtc(new Date('2026-11-26T23:30:00-05:00')) // '2026-11-27'
 * ```
 */
export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10)
}

/**
 * The request body of `POST /drift/reports/` (docs/http-api.md), strict: an unknown
 * key or a value of the wrong type is an error, never ignored. Every field is optional.
 * Parse through {@link parseDriftParams} to get a {@link errors!ValidationError} in DRF's shape.
 * The same object documents the body in the OpenAPI document.
 *
 * @example
 * ```ts
 * driftParamsSchema.parse({ as_of: '2026-06-01', group_by: 'payer_cpt' })
 * // { as_of: '2026-06-01', baseline_days: 90, current_days: 30, group_by: 'payer_cpt',
 * //   min_claims: 30, alpha: 0.05, force: false }
 * ```
 */
export const driftParamsSchema = z
  .strictObject(
    {
      as_of: z
        .iso.date({ error: 'Date has wrong format. Use one of these formats instead: YYYY-MM-DD.' })
        .refine((d) => d >= DRIFT_MIN_AS_OF, { error: `Ensure this date is on or after ${DRIFT_MIN_AS_OF}.` })
        .default(() => todayUtc())
        .meta({
          description: 'End of the current window (exclusive), YYYY-MM-DD. Default: today (UTC).',
          example: '2026-06-01',
        }),
      baseline_days: integer(1, DRIFT_MAX_WINDOW_DAYS, 90, 'Length of the baseline window in days (it ends where the current window starts).'),
      current_days: integer(1, DRIFT_MAX_WINDOW_DAYS, 30, 'Length of the current window in days (it ends at as_of, exclusive).'),
      group_by: z
        .enum(DRIFT_GROUP_BYS, { error: (issue) => `"${String(issue.input)}" is not a valid choice.` })
        .default('payer')
        .meta({ description: 'Group claims by payer, or by payer and CPT code.', example: 'payer' }),
      min_claims: integer(2, DRIFT_MAX_MIN_CLAIMS, 30, 'A group is tested only where both windows hold at least this many adjudicated claims (paid, denied or adjusted).'),
      alpha: z
        .number({ error: 'A valid number is required.' })
        .gt(0, { error: 'Ensure this value is greater than 0.' })
        .lt(1, { error: 'Ensure this value is less than 1.' })
        .default(0.05)
        .meta({ description: 'False discovery rate: events need a Benjamini-Hochberg adjusted p-value below alpha.', example: 0.05 }),
      force: z
        .boolean({ error: 'Must be a valid boolean.' })
        .default(false)
        .meta({ description: 'Recompute and replace an existing report with the same parameters (atomically).', example: false }),
    },
    { error: (issue) => (issue.code === 'unrecognized_keys' ? 'Unknown field.' : 'Invalid data. Expected a dictionary.') },
  )
  .meta({ description: 'Parameters of a drift detection run (docs/http-api.md).' })

/**
 * The request body of `POST /drift/reports/` as a client sends it (every field optional).
 *
 * @example
 * ```ts
 * const body: DriftParamsInput = { as_of: '2026-06-01', group_by: 'payer_cpt', force: true }
 * await fetch('/api/v1/drift/reports/', { method: 'POST', headers, body: JSON.stringify(body) })
 * ```
 */
export type DriftParamsInput = z.input<typeof driftParamsSchema>
/**
 * The parsed parameters, defaults applied: what {@link parseDriftParams} returns.
 *
 * @example
 * ```ts
 * const params: DriftParams = parseDriftParams({ group_by: 'payer_cpt' })
 * // { as_of: '<today, UTC>', baseline_days: 90, current_days: 30, group_by: 'payer_cpt',
 * //   min_claims: 30, alpha: 0.05, force: false }
 * ```
 */
export type DriftParams = z.output<typeof driftParamsSchema>
