import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ForeignKeyViolationError } from '../../src/errors/database-errors.js'
import { NotFoundError } from '../../src/errors/not-found-error.js'
import { createCustomer } from '../../src/tenancy/create-customer.js'
import { claimsTenant, type ClaimsTenantScope } from '../../src/claims/index.js'
import { createTestDatabase, type TestDatabase } from '../support/test-database.js'

let upstream: TestDatabase
let a: ClaimsTenantScope
let b: ClaimsTenantScope

const claim = (uploadId: number, claimNumber: string) => ({
  upload_id: uploadId,
  claim_number: claimNumber,
  payer_name: 'Aetna',
  cpt_code: '99213',
  service_date: '2026-01-15',
  billed_amount: '150.00',
  status: 'submitted' as const,
})

beforeAll(async () => {
  upstream = await createTestDatabase()
  a = claimsTenant(upstream, (await createCustomer(upstream, 'Composite A')).id)
  b = claimsTenant(upstream, (await createCustomer(upstream, 'Composite B')).id)
})
afterAll(async () => upstream?.destroy())

describe('composite tenant keys', () => {
  it("refuses a claim pointing at another tenant's upload (foreign key on (customer_id, upload_id))", async () => {
    const theirs = await b.transaction(({ uploads }) => uploads.create({ filename: 'b.csv' }))
    const error = await a.transaction(({ claims }) => claims.insertMany([claim(theirs.id, 'X-1')])).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ForeignKeyViolationError)
    expect((error as ForeignKeyViolationError).sqlState).toBe('23503')
    // nothing landed for either tenant
    expect(await b.read(({ db }) => db.selectFrom('claim_records').select('id').execute())).toEqual([])
  })

  it('refuses it even as the table owner with row-level security out of the way', async () => {
    const theirs = await b.transaction(({ uploads }) => uploads.create({ filename: 'b2.csv' }))
    const raw = sql`insert into ${sql.id(upstream.schema, 'claim_records')}
      (customer_id, upload_id, claim_number, payer_name, cpt_code, service_date, billed_amount, status)
      values (${a.customerId}, ${theirs.id}, 'X-2', 'Aetna', '99213', '2026-01-15', 150, 'submitted')`
    // the suite connects as a superuser: RLS does not apply, only the composite key stands in the way
    await expect(raw.execute(upstream.db)).rejects.toMatchObject({ code: '23503' })
  })

  it("accepts the claim on the tenant's own upload", async () => {
    const mine = await a.transaction(({ uploads }) => uploads.create({ filename: 'a.csv' }))
    const [row] = await a.transaction(({ claims }) => claims.insertMany([claim(mine.id, 'A-1')]))
    expect(row).toMatchObject({ customer_id: a.customerId, upload_id: mine.id, billed_amount: '150.00', service_date: '2026-01-15' })
  })

  it("reads another tenant's ids exactly as missing ones", async () => {
    const theirs = await b.transaction(({ uploads }) => uploads.create({ filename: 'b3.csv' }))
    expect(await a.read(({ uploads }) => uploads.findById(theirs.id))).toBeUndefined()
    await expect(a.read(({ uploads }) => uploads.getById(theirs.id))).rejects.toBeInstanceOf(NotFoundError)
    await expect(a.transaction(({ uploads }) => uploads.update(theirs.id, { row_count: 1 }))).rejects.toBeInstanceOf(NotFoundError)
    expect(await a.transaction(({ uploads }) => uploads.delete(theirs.id))).toBe(false)
    expect(await b.read(({ uploads }) => uploads.getById(theirs.id))).toMatchObject({ filename: 'b3.csv', row_count: null })
  })
})
