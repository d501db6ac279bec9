import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CheckViolationError, createCustomer, claimsTenant, type ClaimsTenantScope, type UploadStatus } from '../support/upstream.js'
import { createTestDatabase, type TestDatabase } from '../support/test-database.js'

let upstream: TestDatabase
let tenant: ClaimsTenantScope

beforeAll(async () => {
  upstream = await createTestDatabase()
  tenant = claimsTenant(upstream, (await createCustomer(upstream, 'Transitions')).id)
})
afterAll(async () => upstream?.destroy())

async function move(id: number, status: UploadStatus) {
  return tenant.transaction(({ uploads }) => uploads.update(id, { status }))
}

describe('upload status transitions (migration 0004)', () => {
  it('allows pending -> processing -> success | failed', async () => {
    for (const end of ['success', 'failed'] as const) {
      const { id } = await tenant.transaction(({ uploads }) => uploads.create({ filename: `${end}.csv` }))
      expect((await move(id, 'processing')).status).toBe('processing')
      expect((await move(id, end)).status).toBe(end)
      // other fields may still change; the status may not
      expect((await tenant.transaction(({ uploads }) => uploads.update(id, { row_count: 3 }))).row_count).toBe(3)
      for (const back of ['pending', 'processing', end === 'success' ? 'failed' : 'success'] as const) {
        await expect(move(id, back), `${end} -> ${back}`).rejects.toBeInstanceOf(CheckViolationError)
      }
    }
  })

  it('refuses skipping processing and moving backwards', async () => {
    const { id } = await tenant.transaction(({ uploads }) => uploads.create({ filename: 'skip.csv' }))
    await expect(move(id, 'success')).rejects.toBeInstanceOf(CheckViolationError)
    await expect(move(id, 'failed')).rejects.toBeInstanceOf(CheckViolationError)
    await move(id, 'processing')
    const error = await move(id, 'pending').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CheckViolationError)
    expect((error as CheckViolationError).constraint).toBe('uploads_status_transition')
  })

  it('lets inserts start in any status (seeding writes finished uploads)', async () => {
    const row = await tenant.transaction(({ uploads }) => uploads.create({ filename: 'seeded.csv', status: 'success', row_count: 10 }))
    expect(row.status).toBe('success')
  })
})
