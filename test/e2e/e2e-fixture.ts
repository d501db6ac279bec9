import type { ClaimsDatabase } from '../../src/claims/index.js'
import { Readable } from 'node:stream'
import type { Upload } from '../../src/claims/core/database.js'
import type { UpstreamDatabase } from '../../src/db/upstream-database.js'
import { detectDrift } from '../../src/claims/drift/detect-drift.js'
import { IngestionFailedError } from '../../src/claims/ingestion/ingestion-failed-error.js'
import { ingestUpload } from '../../src/claims/ingestion/ingest-upload.js'
import { createCustomer } from '../../src/tenancy/create-customer.js'
import { claimsTenant } from '../../src/claims/index.js'

export const CSV_HEADER = 'claim_number,payer_name,cpt_code,service_date,billed_amount,allowed_amount,paid_amount,status,denial_reason'
const PAYERS = ['Aetna', 'Cigna', 'Humana', 'UnitedHealthcare']
const STATUSES = ['paid', 'denied', 'adjusted', 'submitted']

/** `n` deterministic CSV rows (claim numbers `${prefix}-00001`...). */
export function csvRows(prefix: string, n: number): string {
  const lines = [CSV_HEADER]
  for (let i = 1; i <= n; i++) {
    const status = STATUSES[i % 4]!
    const billed = (100 + ((i * 37) % 900) + (i % 100) / 100).toFixed(2)
    const paid = status === 'paid' || status === 'adjusted' ? (Number(billed) * 0.8).toFixed(2) : ''
    const day = String(1 + (i % 28)).padStart(2, '0')
    const month = String(1 + (i % 6)).padStart(2, '0')
    lines.push(
      [`${prefix}-${String(i).padStart(5, '0')}`, PAYERS[i % 4], i % 2 ? '99213' : '99214', `2026-${month}-${day}`, billed, billed, paid, status, status === 'denied' ? 'CO-97' : ''].join(','),
    )
  }
  return `${lines.join('\n')}\n`
}

/** One tenant of the end-to-end fixture. */
export interface E2eTenant {
  customerId: number
  token: string
  readToken: string
  revokedToken: string
  upload: Upload
  failedUpload: Upload | undefined
  claimIds: number[]
  reportId: number | undefined
}

/**
 * Tenant A: 510 claims from one CSV upload, one failed upload, one drift report.
 * Tenant B: 3 claims, a drift report. Everything through the library's own services.
 */
export async function createE2eFixture(upstream: UpstreamDatabase<ClaimsDatabase>): Promise<{ a: E2eTenant; b: E2eTenant }> {
  const make = async (name: string, claims: number, withFailure: boolean): Promise<E2eTenant> => {
    const customer = await createCustomer(upstream, `e2e ${name}`)
    const tenant = claimsTenant(upstream, customer.id)
    const keys = await tenant.transaction(async ({ apiKeys }) => {
      const token = (await apiKeys.create({ scopes: ['read', 'write'] })).token
      const readToken = (await apiKeys.create({ scopes: ['read'] })).token
      const revoked = await apiKeys.create()
      await apiKeys.revoke(revoked.apiKey.id)
      return { token, readToken, revokedToken: revoked.token }
    })
    const upload = await ingestUpload(tenant, { filename: `${name}-claims.csv`, body: Readable.from([csvRows(name, claims)]) })
    let failedUpload: Upload | undefined
    if (withFailure) {
      try {
        await ingestUpload(tenant, { filename: `${name}-broken.csv`, body: Readable.from([`${CSV_HEADER}\nX-1,Aetna,99213,2026-02-30,abc,,,paid,\n`]) })
      } catch (error) {
        if (!(error instanceof IngestionFailedError)) throw error
        failedUpload = error.upload
      }
    }
    const claimIds = await tenant.read(({ db }) => db.selectFrom('claim_records').select('id').orderBy('id').execute()).then((r) => r.map((x) => x.id))
    const { report } = await detectDrift(tenant, { as_of: '2026-07-01', min_claims: 2 })
    return { customerId: customer.id, ...keys, upload, failedUpload, claimIds, reportId: report.id }
  }
  return { a: await make('a', 510, true), b: await make('b', 3, false) }
}
