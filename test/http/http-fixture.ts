import type { ClaimsDatabase } from '../../src/claims/index.js'
import type { ClaimRecord, Upload } from '../../src/claims/core/database.js'
import type { UpstreamDatabase } from '../../src/db/upstream-database.js'
import { createCustomer } from '../../src/tenancy/create-customer.js'
import { claimsTenant } from '../../src/claims/index.js'

/** One tenant of the fixture: its tokens and a few rows. */
export interface FixtureTenant {
  customerId: number
  /** read and write */
  token: string
  readToken: string
  writeOnlyToken: string
  revokedToken: string
  upload: Upload
  claims: ClaimRecord[]
}

/** Two tenants, each with keys of every kind, one successful upload and three claims. */
export async function createHttpFixture(upstream: UpstreamDatabase<ClaimsDatabase>, prefix = 'http'): Promise<{ a: FixtureTenant; b: FixtureTenant }> {
  const make = async (name: string): Promise<FixtureTenant> => {
    const customer = await createCustomer(upstream, `${prefix} ${name}`)
    return claimsTenant(upstream, customer.id).transaction(async ({ apiKeys, uploads, claims }) => {
      const token = (await apiKeys.create({ scopes: ['read', 'write'], label: 'rw' })).token
      const readToken = (await apiKeys.create({ scopes: ['read'], label: 'ro' })).token
      const writeOnlyToken = (await apiKeys.create({ scopes: ['write'], label: 'wo' })).token
      const revoked = await apiKeys.create({ label: 'revoked' })
      await apiKeys.revoke(revoked.apiKey.id)
      const started = new Date('2026-03-01T10:00:00.000Z')
      const upload = await uploads.create({
        filename: `${name}.csv`,
        status: 'success',
        row_count: 3,
        uploaded_at: started,
        processing_started_at: started,
        processing_completed_at: new Date('2026-03-01T10:00:01.500Z'),
      })
      const rows = await claims.insertMany([
        { upload_id: upload.id, claim_number: `${name}-1`, payer_name: 'Aetna', cpt_code: '99213', service_date: '2026-02-01', billed_amount: '100.5', allowed_amount: '80', paid_amount: null, status: 'denied', denial_reason: 'CO-97' },
        { upload_id: upload.id, claim_number: `${name}-2`, payer_name: 'Cigna', cpt_code: '99214', service_date: '2026-02-02', billed_amount: 1234.5, allowed_amount: null, paid_amount: null, status: 'submitted', denial_reason: null },
        { upload_id: upload.id, claim_number: `${name}-3`, payer_name: 'Aetna', cpt_code: '99213', service_date: '2026-02-03', billed_amount: '50.00', allowed_amount: '50.00', paid_amount: '45.10', status: 'paid', denial_reason: null },
      ])
      return { customerId: customer.id, token, readToken, writeOnlyToken, revokedToken: revoked.token, upload, claims: rows }
    })
  }
  return { a: await make('a'), b: await make('b') }
}
