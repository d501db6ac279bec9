import type { z } from 'zod'
import type { ClaimSchema } from '../openapi/index.js'
import type { ClaimRecord } from '../core/index.js'
import { presentAmount, presentDate, presentTimestamp } from '../../http/index.js'

/**
 * A claim record as the API returns it (docs/http-api.md): the row without `customer_id`,
 * amounts as two-decimal strings, `created_at` as ISO 8601 UTC.
 *
 * @example
 * ```ts
 * const claim: ClaimJson = presentClaim(row)
 * ```
 */
export type ClaimJson = Readonly<z.output<typeof ClaimSchema>>

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
