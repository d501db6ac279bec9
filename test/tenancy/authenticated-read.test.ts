import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { forTenant } from '../../src/tenancy/index.js'
import { authenticatedRead, snapshotDataVersion } from '../../src/tenancy/internal.js'
import { createTestDatabase, type TestDatabase } from '../support/test-database.js'
import { createHttpFixture, type FixtureTenant } from '../http/http-fixture.js'
import { claimsTenant } from '../../src/claims/index.js'
import { listClaims } from '../../src/claims/lists/index.js'
import type { CountedPage } from '../../src/list-query/list-page.js'
import type { ClaimRecord } from '../../src/claims/core/database.js'
import { createMemoryCountCache } from '../../src/list-query/count-cache.js'
import { tenantDataVersion } from '../../src/http/conditional/data-version.js'
import { versionColumn, versionColumns } from '../../src/http/conditional/version-columns.js'
import { insertClaims, claim } from '../list-query/support/claims-fixture.js'

let upstream: TestDatabase
let a: FixtureTenant

beforeAll(async () => {
  upstream = await createTestDatabase()
  ;({ a } = await createHttpFixture(upstream, 'authread'))
})
afterAll(async () => {
  await upstream?.destroy()
})

const txid = (customerId: number) =>
  forTenant(upstream, customerId).read(async ({ db }) => {
    const { rows } = await sql<{ txid: string; tenant: string | null }>`select pg_current_xact_id()::text as txid, current_setting('upstream.customer_id', true) as tenant`.execute(db)
    return rows[0]!
  })

describe('authenticatedRead', () => {
  it('tenant reads made while the request runs join its transaction', async () => {
    const [first, second] = await authenticatedRead(upstream, a.token, async (key) => {
      expect(key?.customerId).toBe(a.customerId)
      return [await txid(a.customerId), await txid(a.customerId)]
    })
    expect(first!.txid).toBe(second!.txid)
  })

  it('a read made after the request answered (a streamed export batch) takes a transaction of its own, never the released connection', async () => {
    // a timer set inside the request's context fires once it answered: AsyncLocalStorage still carries the context
    let later!: Promise<{ txid: string; tenant: string | null }>
    const during = await authenticatedRead(upstream, a.token, async () => {
      later = new Promise((resolve, reject) => setTimeout(() => txid(a.customerId).then(resolve, reject), 100))
      return txid(a.customerId)
    })
    const after = await later
    expect(after.txid).not.toBe(during.txid)
    expect(after.tenant).toBe(String(a.customerId))
  })

  it('an unknown token gives the work no key and no transaction to join', async () => {
    const seen = await authenticatedRead(upstream, 'not-a-real-token', async (key) => key)
    expect(seen).toBeUndefined()
  })

  it('one snapshot: the data version read with the key holds for the whole request, so a cached count matches its rows even when a write commits in between', async () => {
    const tenant = claimsTenant(upstream, a.customerId)
    const countCache = createMemoryCountCache()
    const url = 'https://api.test/api/v1/claims/?page_size=500'
    const page = () => listClaims(tenant, { page_size: '500' }, { url, countCache }) as Promise<CountedPage<ClaimRecord>>
    const warm = await page() // outside a request: counts and caches at the current version
    expect(warm.results).toHaveLength(warm.count!)
    // the start reads the tenant's data version with the key (as a claims GET does), in the request's snapshot
    const also = versionColumns(upstream, [tenantDataVersion])
    let read!: { page: CountedPage<ClaimRecord>; version: unknown }
    await authenticatedRead(
      upstream,
      a.token,
      async (key, row) => {
        expect(key?.customerId).toBe(a.customerId)
        // another transaction of the tenant commits two claims (and bumps the version) after the start, before the list
        await insertClaims(tenant, [claim(9001), claim(9002)])
        read = { page: await page(), version: row?.[versionColumn(0)] }
      },
      undefined,
      undefined,
      also,
      versionColumn(0),
    )
    // the cached count (its version is the snapshot's) and the rows are of the same moment: the one before the write
    expect(read.page.count).toBe(warm.count)
    expect(read.page.results).toHaveLength(warm.count!)
    // the next request sees the write: its version differs, the count is taken again
    const after = await page()
    expect(after.count).toBe(warm.count! + 2)
    expect(after.results).toHaveLength(warm.count! + 2)
  })

  it("the snapshot's data version is given only to reads on the request's own connection", async () => {
    const seen = await authenticatedRead(
      upstream,
      a.token,
      async (_key, row) => ({
        read: row?.[versionColumn(0)],
        joined: await forTenant(upstream, a.customerId).read(async ({ db }) => snapshotDataVersion(db)),
        // other timeouts: a transaction of its own, another snapshot
        own: await forTenant(upstream, a.customerId).read(async ({ db }) => snapshotDataVersion(db), { statementTimeoutMs: 12_345 }),
      }),
      undefined,
      undefined,
      versionColumns(upstream, [tenantDataVersion]),
      versionColumn(0),
    )
    expect(seen.read).toMatch(/^\d+$/)
    expect(seen.joined).toBe(seen.read)
    expect(seen.own).toBeUndefined()
    expect(await forTenant(upstream, a.customerId).read(async ({ db }) => snapshotDataVersion(db))).toBeUndefined() // outside a request
  })
})
