import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CheckViolationError, UniqueViolationError } from '../../src/errors/database-errors.js'
import { NotFoundError } from '../../src/errors/not-found-error.js'
import { createCustomer } from '../../src/tenancy/create-customer.js'
import { claimsTenant, type ClaimsTenantScope } from '../../src/claims/index.js'
import { createTestDatabase, type TestDatabase } from '../support/test-database.js'

let upstream: TestDatabase
let tenant: ClaimsTenantScope
let uploadId: number

const claim = (claimNumber: string, overrides: Record<string, unknown> = {}) => ({
  upload_id: uploadId,
  claim_number: claimNumber,
  payer_name: 'Cigna',
  cpt_code: '80053',
  service_date: '2026-03-02',
  billed_amount: '58.10',
  status: 'paid' as const,
  ...overrides,
})

beforeAll(async () => {
  upstream = await createTestDatabase()
  tenant = claimsTenant(upstream, (await createCustomer(upstream, 'Constraints')).id)
  uploadId = (await tenant.transaction(({ uploads }) => uploads.create({ filename: 'c.csv' }))).id
})
afterAll(async () => upstream?.destroy())

describe('constraint violations map to typed errors', () => {
  it('unique (customer_id, upload_id, claim_number) -> UniqueViolationError, and the whole unit rolls back', async () => {
    const error = await tenant
      .transaction(async ({ claims }) => {
        await claims.insertMany([claim('U-1')])
        await claims.insertMany([claim('U-1')])
      })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UniqueViolationError)
    expect((error as UniqueViolationError).sqlState).toBe('23505')
    expect((error as UniqueViolationError).constraint).toMatch(/claim_number/)
    expect((error as Error).cause).toBeDefined()
    expect(await tenant.read(({ db }) => db.selectFrom('claim_records').select('id').where('claim_number', '=', 'U-1').execute())).toEqual([])
  })

  it('a second customer with the same name -> UniqueViolationError', async () => {
    await expect(createCustomer(upstream, 'Constraints')).rejects.toBeInstanceOf(UniqueViolationError)
  })

  it('negative amount, unknown status, negative row_count -> CheckViolationError', async () => {
    await expect(tenant.transaction(({ claims }) => claims.insertMany([claim('K-1', { billed_amount: '-1.00' })]))).rejects.toBeInstanceOf(
      CheckViolationError,
    )
    await expect(tenant.transaction(({ claims }) => claims.insertMany([claim('K-2', { status: 'lost' })]))).rejects.toBeInstanceOf(
      CheckViolationError,
    )
    const error = await tenant.transaction(({ uploads }) => uploads.update(uploadId, { row_count: -1 })).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CheckViolationError)
    expect((error as CheckViolationError).sqlState).toBe('23514')
  })

  it('processing_started_at after processing_completed_at -> CheckViolationError', async () => {
    await expect(
      tenant.transaction(({ uploads }) =>
        uploads.update(uploadId, { processing_started_at: '2026-01-02T00:00:00Z', processing_completed_at: '2026-01-01T00:00:00Z' }),
      ),
    ).rejects.toBeInstanceOf(CheckViolationError)
  })

  it('a missing id -> NotFoundError naming the resource', async () => {
    const error = await tenant.read(({ uploads }) => uploads.getById(987654)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(NotFoundError)
    expect(error).toMatchObject({ resource: 'uploads', id: 987654 })
  })
})
