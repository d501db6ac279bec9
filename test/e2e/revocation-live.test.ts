import { createServer, type RequestListener, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp as createExpressApp } from '../../examples/express/create-app.js'
import { createApp as createKoaApp } from '../../examples/koa/create-app.js'
import { claimsTenant } from '../../src/claims/index.js'
import { createCustomer } from '../../src/tenancy/create-customer.js'
import { createTestDatabase, testDatabaseUrl, type TestDatabase } from '../support/test-database.js'

// Issue 12 keeps one guarantee while it takes round trips away: a key revoked anywhere (here by
// hand in SQL, on a connection of its own) is refused by a RUNNING server on its very next
// request. No token cache may outlive a revocation.
const servers: [string, (upstream: TestDatabase) => RequestListener][] = [
  ['express', (upstream) => createExpressApp({ upstream })],
  ['koa', (upstream) => createKoaApp({ upstream }).callback()],
]

let upstream: TestDatabase
beforeAll(async () => {
  upstream = await createTestDatabase()
})
afterAll(async () => upstream?.destroy())

describe.each(servers)('the %s example, listening', (name, factory) => {
  let server: Server
  let origin: string
  beforeAll(async () => {
    server = createServer(factory(upstream))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    server?.closeAllConnections()
    await new Promise((resolve) => server?.close(resolve))
  })

  it('refuses a key revoked directly in the database on the next request, and a deleted one too', async () => {
    const customer = await createCustomer(upstream, `revocation ${name}`)
    const { token, id } = await claimsTenant(upstream, customer.id).transaction(async ({ apiKeys }) => {
      const made = await apiKeys.create({ scopes: ['read'] })
      return { token: made.token, id: made.apiKey.id }
    })
    const get = async (path: string) => (await fetch(`${origin}${path}`, { headers: { authorization: `Bearer ${token}` } })).status
    // warm: the key has answered, so anything that could cache it has had its chance
    for (let i = 0; i < 3; i++) expect(await get('/api/v1/claims/')).toBe(200)
    expect(await get('/api/v1/uploads/statistics/')).toBe(200)
    const sqlClient = new pg.Client({ connectionString: testDatabaseUrl() })
    await sqlClient.connect()
    try {
      await sqlClient.query(`update ${upstream.schema}.api_keys set revoked_at = now() where id = $1`, [id])
      expect(await get('/api/v1/claims/')).toBe(401)
      expect(await get('/api/v1/uploads/statistics/')).toBe(401)
      await sqlClient.query(`update ${upstream.schema}.api_keys set revoked_at = null where id = $1`, [id])
      expect(await get('/api/v1/claims/')).toBe(200)
      await sqlClient.query(`delete from ${upstream.schema}.api_keys where id = $1`, [id])
      expect(await get('/api/v1/claims/')).toBe(401)
    } finally {
      await sqlClient.end()
    }
    console.info(`[revocation ${name}] revoked in SQL: next request 401; restored: 200; deleted: 401`)
  })
})
