import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LockNotAvailableError } from '../../src/errors/database-errors.js'
import { createCustomer } from '../../src/tenancy/create-customer.js'
import { claimsTenant, type ClaimsTenantScope } from '../../src/claims/index.js'
import type { RetryInfo } from '../../src/transactions/transaction-options.js'
import { createTestDatabase, type TestDatabase } from '../support/test-database.js'
import { createBarrier, deferred } from './barrier.js'

let upstream: TestDatabase
let tenant: ClaimsTenantScope

beforeAll(async () => {
  upstream = await createTestDatabase()
  tenant = claimsTenant(upstream, (await createCustomer(upstream, 'Window locks')).id)
  await tenant.transaction(async ({ uploads, claims }) => {
    const upload = await uploads.create({ filename: 'window.csv' })
    await claims.insertMany(
      Array.from({ length: 20 }, (_, i) => ({
        upload_id: upload.id,
        claim_number: `W-${i}`,
        payer_name: 'Humana',
        cpt_code: '97110',
        service_date: `2026-04-${String(1 + (i % 10)).padStart(2, '0')}`,
        billed_amount: '92.00',
        status: 'submitted' as const,
      })),
    )
  })
})
afterAll(async () => upstream?.destroy())

describe('claims.forUpdateInWindow', () => {
  it('two transactions locking the same window take the locks in the same order: no deadlock, no retry', async () => {
    const barrier = createBarrier(2)
    const retries: RetryInfo[] = []
    const lockWindow = () =>
      tenant.transaction(
        async ({ claims }) => {
          await barrier.wait()
          const rows = await claims.forUpdateInWindow('2026-04-01', '2026-04-11')
          return rows.length
        },
        { onRetry: (info) => retries.push(info) },
      )
    expect(await Promise.all([lockWindow(), lockWindow()])).toEqual([20, 20])
    expect(retries).toEqual([])
  })

  it('skipLocked returns only the rows nobody holds; nowait fails at once', async () => {
    const held = deferred()
    const release = deferred()
    const holder = tenant.transaction(async ({ claims }) => {
      await claims.forUpdateInWindow('2026-04-01', '2026-04-03') // 4 rows: the 1st and 2nd of April
      held.resolve()
      await release.promise
    })
    await held.promise
    try {
      const free = await tenant.transaction(({ claims }) => claims.forUpdateInWindow('2026-04-01', '2026-04-11', { skipLocked: true }))
      expect(free).toHaveLength(16)
      expect(free.every((c) => c.service_date >= '2026-04-03')).toBe(true)
      await expect(
        tenant.transaction(({ claims }) => claims.forUpdateInWindow('2026-04-01', '2026-04-11', { nowait: true })),
      ).rejects.toBeInstanceOf(LockNotAvailableError)
    } finally {
      release.resolve()
      await holder
    }
  })
})
