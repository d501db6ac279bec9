import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCustomer } from '../../src/tenancy/create-customer.js'
import { claimsTenant, type ClaimsTenantScope } from '../../src/claims/index.js'
import { type RetryInfo } from '../../src/transactions/transaction-options.js'
import { createTestDatabase, type TestDatabase } from '../support/test-database.js'
import { createBarrier } from './barrier.js'

let upstream: TestDatabase
let tenant: ClaimsTenantScope

beforeAll(async () => {
  upstream = await createTestDatabase()
  tenant = claimsTenant(upstream, (await createCustomer(upstream, 'Deadlock')).id)
})
afterAll(async () => upstream?.destroy())

describe('deadlocks', () => {
  it('two transactions locking two rows in opposite order: PostgreSQL aborts one, it is retried, both finish', async () => {
    const [x, y] = await tenant.transaction(async ({ uploads }) => [
      await uploads.create({ filename: 'x.csv', row_count: 0 }),
      await uploads.create({ filename: 'y.csv', row_count: 0 }),
    ])
    if (!x || !y) throw new Error('setup failed')
    const barrier = createBarrier(2)
    const retries: RetryInfo[] = []
    const lockBoth = (first: number, second: number) => {
      let attempt = 0
      return tenant.transaction(
        async ({ uploads }) => {
          attempt++
          await uploads.forUpdate(first)
          if (attempt === 1) await barrier.wait() // each holds one lock and wants the other
          await uploads.forUpdate(second)
          for (const id of [first, second]) {
            const row = await uploads.getById(id)
            await uploads.update(id, { row_count: (row.row_count ?? 0) + 1 })
          }
        },
        { baseDelayMs: 5, onRetry: (info) => retries.push(info) },
      )
    }
    const outcomes = await Promise.allSettled([lockBoth(x.id, y.id), lockBoth(y.id, x.id)])
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled'])
    expect(retries.map((r) => r.sqlState)).toContain('40P01')
    const final = await tenant.read(({ uploads }) => Promise.all([uploads.getById(x.id), uploads.getById(y.id)]))
    expect(final.map((u) => u.row_count)).toEqual([2, 2])
  })
})
