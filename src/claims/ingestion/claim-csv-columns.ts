/**
 * The columns a claims CSV must name in its header row, in any order (docs/http-api.md).
 * `allowed_amount`, `paid_amount` and `denial_reason` may be empty (stored as NULL).
 *
 * @example
 * ```ts
 * const header = CLAIM_CSV_COLUMNS.join(',')
 * // claim_number,payer_name,cpt_code,service_date,billed_amount,allowed_amount,paid_amount,status,denial_reason
 * ```
 */
export const CLAIM_CSV_COLUMNS = [
  'claim_number',
  'payer_name',
  'cpt_code',
  'service_date',
  'billed_amount',
  'allowed_amount',
  'paid_amount',
  'status',
  'denial_reason',
] as const

/**
 * One of {@link CLAIM_CSV_COLUMNS}.
 *
 * @example
 * ```ts
 * const missing: ClaimCsvColumn[] = CLAIM_CSV_COLUMNS.filter((column) => !header.includes(column))
 * ```
 */
export type ClaimCsvColumn = (typeof CLAIM_CSV_COLUMNS)[number]
