import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SerializationFailureError } from '../../src/errors/database-errors.js'
import { createCustomer } from '../../src/tenancy/create-customer.js'
import { claimsTenant, type ClaimsTenantScope } from '../../src/claims/index.js'
import { type RetryInfo } from '../../src/transactions/transaction-options.js'
import { createTestDatabase, type TestDatabase } from '../support/test-database.js'
import { createBarrier } from './barrier.js'

let upstream: TestDatabase
let tenant: ClaimsTenantScope

beforeAll(async () => {
  upstream = await createTestDatabase()
  tenant = claimsTenant(upstream, (await createCustomer(upstream, 'Serializable')).id)
})
afterAll(async () => upstream?.destroy())

/**
 * Classic write skew: each transaction reads both uploads' row_count and writes the sum
 * plus one into its own upload. Run serially, the results are {1, 2}; interleaved
 * without serializable isolation, both would write 1. A barrier makes both read before
 * either writes, on the first attempt only.
 */
async function writeSkew(maxAttempts: number) {
  const [a, b] = await tenant.transaction(async ({ uploads }) => [
    await uploads.create({ filename: 'skew-a.csv', row_count: 0 }),
    await uploads.create({ filename: 'skew-b.csv', row_count: 0 }),
  ])
  if (!a || !b) throw new Error('setup failed')
  const barrier = createBarrier(2)
  const retries: RetryInfo[] = []
  const run = (mine: number) => {
    let attempt = 0
    return tenant.transaction(
      async ({ uploads }) => {
        attempt++
        const rows = await Promise.all([uploads.getById(a.id), uploads.getById(b.id)])
        const sum = rows.reduce((s, r) => s + (r.row_count ?? 0), 0)
        if (attempt === 1) await barrier.wait()
        await uploads.update(mine, { row_count: sum + 1 })
      },
      { isolation: 'serializable', maxAttempts, baseDelayMs: 5, onRetry: (info) => retries.push(info) },
    )
  }
  const outcomes = await Promise.allSettled([run(a.id), run(b.id)])
  const final = await tenant.read(({ uploads }) => Promise.all([uploads.getById(a.id), uploads.getById(b.id)]))
  return { outcomes, retries, counts: final.map((u) => u.row_count).sort() }
}

describe('serializable transactions', () => {
  it('two conflicting transactions both commit through retries, as if run one after the other', async () => {
    const { outcomes, retries, counts } = await writeSkew(5)
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled'])
    expect(retries.length).toBeGreaterThanOrEqual(1)
    expect(retries[0]).toMatchObject({ attempt: 1, sqlState: '40001' })
    expect(counts).toEqual([1, 2])
  })

  it('gives up with SerializationFailureError carrying the attempt count when retries run out', async () => {
    const { outcomes, retries, counts } = await writeSkew(1)
    const rejected = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected')
    expect(rejected).toHaveLength(1)
    const error = rejected[0]?.reason
    expect(error).toBeInstanceOf(SerializationFailureError)
    expect((error as SerializationFailureError).attempts).toBe(1)
    expect((error as SerializationFailureError).sqlState).toBe('40001')
    expect(retries).toHaveLength(0)
    expect(counts).toEqual([0, 1]) // only the winner's write landed
  })
})
