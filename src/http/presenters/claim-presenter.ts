import type { ClaimRecord, ClaimStatus } from '../../db/database.js'
import { presentAmount, presentDate, presentTimestamp } from './present-values.js'

/**
 * A claim record as the API returns it (CONTRACT section 3), exactly these fields.
 *
 * @example
 * ```ts
 * const claim: ClaimJson = presentClaim(row)
 * ```
 */
export type ClaimJson = {
  readonly id: number
  readonly upload_id: number
  readonly claim_number: string
  readonly payer_name: string
  readonly cpt_code: string
  readonly service_date: string
  readonly billed_amount: string
  readonly allowed_amount: string | null
  readonly paid_amount: string | null
  readonly status: ClaimStatus
  readonly denial_reason: string | null
  readonly created_at: string
}

/**
 * A claim row as JSON: amounts as two-decimal strings, `service_date` as `YYYY-MM-DD`.
 *
 * @example
 * ```ts
 * presentClaim(row) // { id: 9, upload_id: 1, claim_number: 'C-1', billed_amount: '120.00', ... }
 * ```
 */
export function presentClaim(row: ClaimRecord): ClaimJson {
  return {
    id: row.id,
    upload_id: row.upload_id,
    claim_number: row.claim_number,
    payer_name: row.payer_name,
    cpt_code: row.cpt_code,
    service_date: presentDate(row.service_date),
    billed_amount: presentAmount(row.billed_amount)!,
    allowed_amount: presentAmount(row.allowed_amount),
    paid_amount: presentAmount(row.paid_amount),
    status: row.status,
    denial_reason: row.denial_reason,
    created_at: presentTimestamp(row.created_at)!,
  }
}
