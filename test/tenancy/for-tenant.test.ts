import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCustomer, claimsTenant, resolveApiKey, runInTransaction, TenantScopeError, ValidationError } from '../support/upstream.js'
import { createTestDatabase, type TestDatabase } from '../support/test-database.js'

let upstream: TestDatabase
let a: number
let b: number

beforeAll(async () => {
  upstream = await createTestDatabase()
  a = (await createCustomer(upstream, 'Tenant A')).id
  b = (await createCustomer(upstream, 'Tenant B')).id
})
afterAll(async () => upstream?.destroy())

describe('claimsTenant', () => {
  it('filters by customer_id and hides other tenants rows as missing', async () => {
    const upA = await claimsTenant(upstream, a).transaction(({ uploads }) => uploads.create({ filename: 'a.csv' }))
    const upB = await claimsTenant(upstream, b).transaction(({ uploads }) => uploads.create({ filename: 'b.csv' }))
    expect(upA.customer_id).toBe(a)
    expect(await claimsTenant(upstream, a).read(({ uploads }) => uploads.findById(upB.id))).toBeUndefined()
    expect(await claimsTenant(upstream, a).read(({ uploads }) => uploads.findById(upA.id))).toMatchObject({ filename: 'a.csv' })
    const raw = await claimsTenant(upstream, a).read(({ db }) => db.selectFrom('uploads').select('customer_id').execute())
    expect(raw.map((r) => r.customer_id)).toEqual([a])
  })

  it('refuses a caller-supplied customer_id', async () => {
    await expect(
      claimsTenant(upstream, a).transaction(({ uploads }) => uploads.create({ filename: 'x', customer_id: b } as never)),
    ).rejects.toBeInstanceOf(TenantScopeError)
  })

  it('sees no tenant rows as the runtime role with no tenant set (fails closed)', async () => {
    const rows = await runInTransaction(
      upstream.db,
      (trx) => sql<{ n: number }>`select count(*)::int as n from ${sql.id(upstream.schema, 'uploads')}`.execute(trx),
      {},
      { role: upstream.runtimeRole },
    )
    expect(rows.rows).toEqual([{ n: 0 }])
  })

  it('resolves api keys by hash, refusing revoked ones', async () => {
    const { token, apiKey } = await claimsTenant(upstream, a).transaction(({ apiKeys }) => apiKeys.create({ scopes: ['read'] }))
    expect(await resolveApiKey(upstream, token)).toEqual({ customerId: a, keyId: apiKey.id, scopes: ['read'] })
    expect(await resolveApiKey(upstream, token + 'x')).toBeUndefined()
    const first = await claimsTenant(upstream, a).transaction(({ apiKeys }) => apiKeys.revoke(apiKey.id))
    expect(await resolveApiKey(upstream, token)).toBeUndefined()
    const again = await claimsTenant(upstream, a).transaction(({ apiKeys }) => apiKeys.revoke(apiKey.id))
    expect(again.revoked_at).toEqual(first.revoked_at)
    await expect(claimsTenant(upstream, a).transaction(({ apiKeys }) => apiKeys.create({ scopes: [] }))).rejects.toBeInstanceOf(ValidationError)
  })
})
