import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { claimsTenant, createCustomer, createRedisLsnStore, type LostWritePosition } from '../support/upstream.js'
import { createTestDatabase, type TestDatabase } from '../support/test-database.js'

// A writer with the shared LSN store (no replicas needed: a worker that only writes) whose Redis
// refuses the raise after COMMIT: the write is acknowledged, and the lost position is told,
// typed, to onWritePositionLost (before, it was dropped without a word).

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
