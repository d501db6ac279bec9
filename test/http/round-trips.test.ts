import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClaimsHttpHandler, resolveApiKey, type HttpHandler } from '../support/upstream.js'
import { createTestDatabase, testDatabaseUrl, type TestDatabase } from '../support/test-database.js'
import { callHandler } from './call-handler.js'
import { createHttpFixture, type FixtureTenant } from './http-fixture.js'

// A wire-level counter: node-postgres sends one query at a time per connection (no
// pipelining), so every Client.query of the pool is one round trip to the server.
const wire = { on: false, sent: [] as string[], answered: 0 }
const originalQuery = pg.Client.prototype.query
// installed before any pool connects (the pool binds client.query when a client connects)
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  const counted = wire.on
  if (counted) wire.sent.push(typeof args[0] === 'string' ? args[0] : '(object)')
  const answer = (originalQuery as (...a: unknown[]) => unknown).apply(this, args)
  const done = () => {
    if (counted) wire.answered++
  }
  if (answer instanceof Promise) answer.then(done, done)
  return answer
} as typeof pg.Client.prototype.query

let upstream: TestDatabase
let a: FixtureTenant
let handle: HttpHandler
let legacy: HttpHandler

beforeAll(async () => {
  upstream = await createTestDatabase()
  ;({ a } = await createHttpFixture(upstream, 'trips'))
  handle = createClaimsHttpHandler({ upstream, logger: { error: () => {}, warn: () => {} } })
  // a custom resolver: the key looked up in a statement of its own, before the transaction
  legacy = createClaimsHttpHandler({ upstream, resolveToken: (token) => resolveApiKey(upstream, token), logger: { error: () => {}, warn: () => {} } })
})
afterAll(async () => {
  pg.Client.prototype.query = originalQuery
  await upstream?.destroy()
})

/**
 * Round trips the request waited for (answered by PostgreSQL before the handler answered),
 * and in all (the commit goes out as the handler answers; nothing waits for it).
 */
async function roundTrips(h: HttpHandler, path: string, token = a.token): Promise<{ status: number; beforeAnswer: number; total: number; sent: string[] }> {
  wire.sent = []
  wire.answered = 0
  wire.on = true
  const r = await callHandler(h, { path, token })
  const beforeAnswer = wire.answered
  await new Promise((resolve) => setTimeout(resolve, 100))
  wire.on = false
  return { status: r.status, beforeAnswer, total: wire.sent.length, sent: wire.sent }
}

// Every claims GET carries an ETag (issue 11): its data version is read in the round trip that
// authenticates the key (a third statement there, tenant and role set), so a page is two round
// trips (the aim) and a revalidation that answers 304 one.
const SHAPES: readonly (readonly [string, () => string, number])[] = [
  ['detail', () => `/api/v1/claims/${a.claims[0]!.id}/`, 2],
  ['cheap list (count cache cold)', () => '/api/v1/claims/?service_date=2026-02-01', 2],
  ['cheap list (count cache warm)', () => '/api/v1/claims/?service_date=2026-02-01', 2],
  ['filtered and ordered list', () => '/api/v1/claims/?status=denied&ordering=-billed_amount', 2],
  ['default page', () => '/api/v1/claims/', 2],
  ['search', () => '/api/v1/claims/?search=Aetna', 2],
]

describe('round trips per request shape', () => {
  it.each(SHAPES)('%s: within its budget before the answer, the commit behind it', async (_name, path, budget) => {
    const r = await roundTrips(handle, path())
    expect(r.status, r.sent.join('\n')).toBe(200)
    expect(r.beforeAnswer, r.sent.join('\n')).toBeLessThanOrEqual(budget)
    expect(r.total, r.sent.join('\n')).toBeLessThanOrEqual(budget + 1)
    expect(r.sent[0]).toMatch(/^start transaction .*\.authenticate_api_key\('[0-9a-f]{64}'\)/s)
    expect(r.sent.at(-1)).toBe('commit')
    console.info(`[round trips] ${_name}: ${r.beforeAnswer} before the answer, ${r.total} in all`)
  })

  it('a cheap list with a warm count cache: its one statement is the rows alone (the version the start read, one snapshot, answers the cache)', async () => {
    const path = '/api/v1/claims/?service_date=2026-02-02'
    await roundTrips(handle, path) // warms the count cache
    const r = await roundTrips(handle, path)
    expect(r.status).toBe(200)
    expect(r.sent, r.sent.join('\n')).toHaveLength(3) // start, the rows, commit
    expect(r.sent[1]).toMatch(/^select \* from "[^"]+"\."claim_records" where /)
    expect(r.sent[1]).not.toMatch(/data_versions|count_estimate|count\(/)
  })

  it('a revalidation (If-None-Match, 304): one round trip before the answer, the commit behind it', async () => {
    const path = `/api/v1/claims/?service_date=2026-02-01`
    const first = await callHandler(handle, { path, token: a.token })
    const etag = first.headers.etag
    expect(etag).toBeTypeOf('string')
    wire.sent = []
    wire.answered = 0
    wire.on = true
    const r = await callHandler(handle, { path, token: a.token, headers: { 'if-none-match': etag as string } })
    const beforeAnswer = wire.answered
    await new Promise((resolve) => setTimeout(resolve, 100))
    wire.on = false
    expect(r.status).toBe(304)
    expect(beforeAnswer, wire.sent.join('\n')).toBe(1)
    expect(wire.sent.at(-1)).toBe('commit')
    console.info(`[round trips] revalidation 304: ${beforeAnswer} before the answer, ${wire.sent.length} in all`)
  })

  it('an unknown or revoked key: one round trip and a rollback, 401', async () => {
    for (const token of [a.revokedToken, 'up_not-a-real-token']) {
      const r = await roundTrips(handle, '/api/v1/claims/', token)
      expect(r.status).toBe(401)
      expect(r.sent).toHaveLength(2)
      expect(r.sent[1]).toBe('rollback')
    }
  })

  it('a custom resolver keeps its own lookup and transactions (the commits awaited)', async () => {
    const r = await roundTrips(legacy, `/api/v1/claims/${a.claims[0]!.id}/`)
    expect(r.status).toBe(200)
    // the lookup; the ETag's version read in a read transaction of its own (start, read, commit);
    // the detail in another (start, read, commit): 7, where the built-in lookup needs 3
    expect(r.beforeAnswer, r.sent.join('\n')).toBe(7)
  })
})

describe('revocation', () => {
  it('a key revoked (or deleted) directly in the database is refused on the very next request', async () => {
    const keyed = await upstream.db.selectFrom('api_keys').select(['id', 'key_hash']).where('customer_id', '=', a.customerId).where('label', '=', 'ro').executeTakeFirstOrThrow()
    const path = `/api/v1/claims/${a.claims[0]!.id}/`
    expect((await callHandler(handle, { path, token: a.readToken })).status).toBe(200)
    // another connection, as another instance or an operator would
    const other = new pg.Client({ connectionString: testDatabaseUrl() })
    await other.connect()
    try {
      await other.query(`update ${upstream.schema}.api_keys set revoked_at = now() where id = $1`, [keyed.id])
      expect((await callHandler(handle, { path, token: a.readToken })).status).toBe(401)
      expect((await callHandler(handle, { path: '/api/v1/claims/', token: a.readToken })).status).toBe(401)
      await other.query(`update ${upstream.schema}.api_keys set revoked_at = null where id = $1`, [keyed.id])
      expect((await callHandler(handle, { path, token: a.readToken })).status).toBe(200)
      await other.query(`delete from ${upstream.schema}.api_keys where id = $1`, [keyed.id])
      expect((await callHandler(handle, { path, token: a.readToken })).status).toBe(401)
    } finally {
      await other.end()
    }
  })
})
