import { z } from 'zod'
import { CLAIM_STATUSES } from '../core/index.js'
import { amountProblem, dateProblem } from './strict-values.js'

const BLANK = 'This field may not be blank.'

const NUL = 'Null characters are not allowed.'

const requiredText = z
  .string()
  .trim()
  .min(1, { error: BLANK })
  .refine((v) => !v.includes('\0'), { error: NUL })

const optionalText = z
  .string()
  .trim()
  .refine((v) => !v.includes('\0'), { error: NUL })
  .transform((v) => (v === '' ? null : v))

const date = z
  .string()
  .trim()
  .check((ctx) => {
    const problem = ctx.value === '' ? BLANK : dateProblem(ctx.value)
    if (problem) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value })
  })

const amount = z
  .string()
  .trim()
  .check((ctx) => {
    const problem = ctx.value === '' ? BLANK : amountProblem(ctx.value)
    if (problem) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value })
  })

const optionalAmount = z
  .string()
  .trim()
  .check((ctx) => {
    const problem = ctx.value === '' ? undefined : amountProblem(ctx.value)
    if (problem) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value })
  })
  .transform((v) => (v === '' ? null : v))

const status = z
  .string()
  .trim()
  .pipe(z.enum(CLAIM_STATUSES, { error: (issue) => `"${String(issue.input)}" is not a valid choice.` }))

/**
 * The zod schema of one CSV data row, keyed by column name (values as the CSV parser gives
 * them: strings). Text is trimmed; `allowed_amount`, `paid_amount` and `denial_reason` may be
 * empty (-> `null`); amounts are decimals with at most 2 places, >= 0, within numeric(12,2);
 * `service_date` is a strict `YYYY-MM-DD` calendar date; `status` is one of
 * submitted, paid, denied, adjusted. Messages follow Django REST Framework's wording.
 *
 * @example
 * ```ts
 * const row = claimCsvRowSchema.parse({
 *   claim_number: 'C-1', payer_name: 'Aetna', cpt_code: '99213', service_date: '2024-03-01',
 *   billed_amount: '120.00', allowed_amount: '', paid_amount: '80', status: 'paid', denial_reason: '',
 * }) // { ..., allowed_amount: null, paid_amount: '80', denial_reason: null }
 * ```
 */
export const claimCsvRowSchema = z.object({
  claim_number: requiredText,
  payer_name: requiredText,
  cpt_code: requiredText,
  service_date: date,
  billed_amount: amount,
  allowed_amount: optionalAmount,
  paid_amount: optionalAmount,
  status,
  denial_reason: optionalText,
})

/**
 * One validated CSV row, ready to load.
 *
 * @example
 * ```ts
 * const row: ClaimCsvRow = claimCsvRowSchema.parse(record)
 * row.allowed_amount // string | null: an empty cell is null
 * ```
 */
export type ClaimCsvRow = z.output<typeof claimCsvRowSchema>
