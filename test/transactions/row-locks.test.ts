import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCustomer } from '../../src/tenancy/create-customer.js'
import { claimsTenant } from '../../src/claims/index.js'
import { createTestDatabase, type TestDatabase } from '../support/test-database.js'
import { sleep } from './barrier.js'

let upstream: TestDatabase
let customerId: number

beforeAll(async () => {
  upstream = await createTestDatabase({ pool: { max: 55 } })
  customerId = (await createCustomer(upstream, 'Row locks')).id
})
afterAll(async () => upstream?.destroy())

/** `workers` concurrent read-modify-write transactions on one upload's row_count. */
async function incrementConcurrently(workers: number): Promise<number> {
  const tenant = claimsTenant(upstream, customerId)
  const upload = await tenant.transaction(({ uploads }) => uploads.create({ filename: `counter-${workers}.csv`, row_count: 0 }))
  await Promise.all(
    Array.from({ length: workers }, () =>
      tenant.transaction(async ({ uploads }) => {
        const row = await uploads.forUpdate(upload.id)
        if (!row) throw new Error('upload vanished')
        await sleep(2) // some work between the read and the write
        await uploads.update(upload.id, { row_count: (row.row_count ?? 0) + 1 })
      }),
    ),
  )
  return (await tenant.read(({ uploads }) => uploads.getById(upload.id))).row_count ?? -1
}

describe('forUpdate serializes read-modify-write under read committed', () => {
  it('10 concurrent workers end at exactly 10', async () => {
    expect(await incrementConcurrently(10)).toBe(10)
  })

  it('50 concurrent workers end at exactly 50', async () => {
    expect(await incrementConcurrently(50)).toBe(50)
  })
})
