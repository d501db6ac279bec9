import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { forTenant } from '../../src/tenancy/index.js'
import { authenticatedRead } from '../../src/tenancy/internal.js'
import { createTestDatabase, type TestDatabase } from '../support/test-database.js'
import { createHttpFixture, type FixtureTenant } from '../http/http-fixture.js'

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
})
