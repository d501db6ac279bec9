import type { ClaimsDatabase } from '../../../src/claims/index.js'
import type { ClaimRecord, ClaimStatus, Upload } from '../../../src/claims/core/database.js'
import type { UpstreamDatabase } from '../../../src/db/upstream-database.js'
import { createCustomer } from '../../../src/tenancy/create-customer.js'
import { claimsTenant, type ClaimsTenantScope } from '../../../src/claims/index.js'

/** One claim to insert (the upload is made by {@link insertClaims}). */
export interface ClaimSeed {
  claim_number: string
  payer_name: string
  cpt_code: string
  service_date: string
  billed_amount: string
  paid_amount?: string | null
  status: ClaimStatus
  denial_reason?: string | null
}

let n = 0

/** A new customer and its tenant scope. */
export async function newTenant(upstream: UpstreamDatabase<ClaimsDatabase>, prefix = 'lq'): Promise<ClaimsTenantScope> {
  const c = await createCustomer(upstream, `${prefix}-${process.pid}-${Date.now()}-${n++}`)
  return claimsTenant(upstream, c.id)
}

/** Inserts claims under one new upload, in one statement; returns the upload and the rows. */
export async function insertClaims(tenant: ClaimsTenantScope, rows: readonly ClaimSeed[], filename = `f-${n++}.csv`): Promise<{ upload: Upload; claims: ClaimRecord[] }> {
  return tenant.transaction(async ({ uploads, claims }) => {
    const upload = await uploads.create({ filename })
    const inserted = await claims.insertMany(rows.map((r) => ({ ...r, upload_id: upload.id })))
    return { upload, claims: inserted }
  })
}

/** A simple claim with defaults. */
export function claim(i: number, overrides: Partial<ClaimSeed> = {}): ClaimSeed {
  return {
    claim_number: `C-${String(i).padStart(5, '0')}`,
    payer_name: ['Acme Health', 'Blue Shield', 'Cigna 50%_off', 'Δelta Care'][i % 4]!,
    cpt_code: `9921${i % 5}`,
    service_date: `2025-0${(i % 3) + 1}-${String((i % 28) + 1).padStart(2, '0')}`,
    billed_amount: `${(i * 37) % 1000}.${String(i % 100).padStart(2, '0')}`,
    paid_amount: i % 6 === 0 ? null : `${(i * 13) % 500}.00`,
    status: (['submitted', 'paid', 'denied', 'adjusted'] as const)[i % 4]!,
    denial_reason: i % 4 === 2 ? 'CO-45' : null,
    ...overrides,
  }
}

/** Cents of a decimal string, as an exact integer (for reference comparisons). */
export function cents(value: string): number {
  const neg = value.startsWith('-')
  const [w, f = ''] = value.replace(/^[+-]/, '').split('.')
  const c = Number(w) * 100 + Number((f + '00').slice(0, 2))
  return neg ? -c : c
}
