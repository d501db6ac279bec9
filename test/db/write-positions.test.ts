import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { claimsTenant, createCustomer, createRedisLsnStore, failAbandonedUploads, type LostWritePosition } from '../support/upstream.js'
import { createTestDatabase, type TestDatabase } from '../support/test-database.js'

// Commit positions recorded in the shared LSN store by a writer (no replicas needed: a worker
// that only writes). When Redis refuses the raise after COMMIT, the write is acknowledged and the
// lost position is told, typed, to onWritePositionLost (before, it was dropped without a word).
// The sweep of abandoned uploads, a write across tenants, records each swept tenant's position.

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
const prefix = `test:lost-lsn:${Date.now()}:`
let refused: Redis // never connected, no offline queue: every command is refused at once
let working: Redis
let refusing: TestDatabase
let sharing: TestDatabase
const lostRefusing: LostWritePosition[] = []
const lostSharing: LostWritePosition[] = []

beforeAll(async () => {
  refused = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0 })
  working = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 })
  working.on('error', () => undefined)
  await working.connect()
  refusing = await createTestDatabase({ replicaRouting: { lsnStore: createRedisLsnStore(refused, { prefix }), onWritePositionLost: (l) => void lostRefusing.push(l) } })
  sharing = await createTestDatabase({ replicaRouting: { lsnStore: createRedisLsnStore(working, { prefix }), onWritePositionLost: (l) => void lostSharing.push(l) } })
})

afterAll(async () => {
  await refusing?.destroy()
  await sharing?.destroy()
  refused?.disconnect()
  await working?.quit().catch(() => undefined)
})

describe('a write whose position the LSN store refuses after COMMIT', () => {
  it('is committed and acknowledged, and the lost position is told to onWritePositionLost', async () => {
    const customer = await createCustomer(refusing, 'lost lsn')
    const tenant = claimsTenant(refusing, customer.id)
    const upload = await tenant.transaction(({ uploads }) => uploads.create({ filename: 'lost.csv' }))
    expect(await tenant.read(({ uploads }) => uploads.getById(upload.id))).toMatchObject({ id: upload.id })
    const mine = lostRefusing.filter((l) => l.customerId === customer.id)
    expect(mine).toHaveLength(1)
    expect(mine[0]).toMatchObject({ stage: 'store', customerId: customer.id, tenantKey: `${refusing.schema}:${customer.id}` })
    expect(mine[0]!.lsn).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/)
    expect(mine[0]!.error).toBeInstanceOf(Error)
  })

  it('a read-only transaction records nothing, and a store that answers loses nothing', async () => {
    const before = lostRefusing.length
    const customer = await createCustomer(refusing, 'read only')
    await claimsTenant(refusing, customer.id).transaction(({ db }) => db.selectFrom('uploads').select('id').execute(), { readOnly: true })
    expect(lostRefusing).toHaveLength(before)
    const other = await createCustomer(sharing, 'shared lsn')
    await claimsTenant(sharing, other.id).transaction(({ uploads }) => uploads.create({ filename: 'kept.csv' }))
    expect(lostSharing).toEqual([])
    expect(await working.get(`${prefix}${sharing.schema}:${other.id}`)).toMatch(/^\d+$/)
  })
})

describe('the sweep of abandoned uploads (a write across tenants)', () => {
  it("records each swept tenant's position in the LSN store, as a tenant write does", async () => {
    const customer = await createCustomer(sharing, 'swept')
    const tenant = claimsTenant(sharing, customer.id)
    const upload = await tenant.transaction(async ({ uploads, db }) => {
      const created = await uploads.create({ filename: 'abandoned.csv' })
      // left `processing` an hour ago by a process that died (no session holds its row)
      await db.updateTable('uploads').set({ status: 'processing', processing_started_at: new Date(Date.now() - 3_600_000) }).where('id', '=', created.id).execute()
      return created
    })
    const key = `${prefix}${sharing.schema}:${customer.id}`
    const before = BigInt((await working.get(key))!)
    const swept = await failAbandonedUploads(sharing, { olderThanMs: 60_000 })
    expect(swept).toContainEqual({ customerId: customer.id, uploadId: upload.id })
    expect(BigInt((await working.get(key))!)).toBeGreaterThan(before)
  })
})
