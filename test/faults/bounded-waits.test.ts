import { sql } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_READ_TIMEOUTS, claimsTenant, PoolExhaustedError, StatementTimeoutError, createClaimsHttpHandler } from '../support/upstream.js'
import { callHandler } from '../http/call-handler.js'
import { createHttpFixture, type FixtureTenant } from '../http/http-fixture.js'
import { createTestDatabase, testDatabaseUrl, type TestDatabase } from '../support/test-database.js'

// Every wait is bounded: for a pooled connection (acquire timeout), for a statement and for a
// table lock (the read timeouts, per database and per call).

let upstream: TestDatabase
let a: FixtureTenant

beforeAll(async () => {
  upstream = await createTestDatabase({ pool: { max: 1 }, acquireTimeoutMs: 300, readTimeouts: { statementTimeoutMs: 2000 } })
  ;({ a } = await createHttpFixture(upstream, 'bounded'))
})
afterAll(async () => upstream?.destroy())

describe('the pool acquire timeout', () => {
  it('refuses a caller after acquireTimeoutMs with PoolExhaustedError, and HTTP answers 503 + Retry-After', async () => {
    const tenant = claimsTenant(upstream, a.customerId)
    // the one connection is busy for a second
    const busy = tenant.read(({ db }) => sql`select pg_sleep(1)`.execute(db))
    const started = performance.now()
    const error = await tenant.read(({ uploads }) => uploads.getById(a.upload.id)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(PoolExhaustedError)
    expect(performance.now() - started).toBeLessThan(900)
    const handle = createClaimsHttpHandler({ upstream, logger: { error: () => undefined, warn: () => undefined } })
    const response = await callHandler(handle, { path: `/api/v1/uploads/${a.upload.id}/`, token: a.token })
    expect(response.status).toBe(503)
    expect(response.headers['retry-after']).toBe('1')
    expect(response.json).toEqual({ detail: 'The server is busy: no database connection became free in time. Try again later.' })
    await busy
    expect((await callHandler(handle, { path: `/api/v1/uploads/${a.upload.id}/`, token: a.token })).status).toBe(200)
  })
})

describe('read timeouts', () => {
  it('default to 10 s for statements and 500 ms for lock waits', () => {
    expect(DEFAULT_READ_TIMEOUTS).toEqual({ statementTimeoutMs: 10_000, lockTimeoutMs: 500 })
  })

  it("apply the database's statement timeout, and a call's own", async () => {
    const tenant = claimsTenant(upstream, a.customerId)
    const byDatabase = await tenant.read(({ db }) => sql`select pg_sleep(3)`.execute(db)).catch((e: unknown) => e)
    expect(byDatabase).toBeInstanceOf(StatementTimeoutError)
    const byCall = await tenant.read(({ db }) => sql`select pg_sleep(1)`.execute(db), { statementTimeoutMs: 100 }).catch((e: unknown) => e)
    expect(byCall).toBeInstanceOf(StatementTimeoutError)
    expect(await tenant.read(({ db }) => sql`select pg_sleep(0.2)`.execute(db).then(() => 'done'))).toBe('done')
  })

  it('end a read blocked by a table lock as StatementTimeoutError (503), and a call may wait longer', async () => {
    const tenant = claimsTenant(upstream, a.customerId)
    const locker = new pg.Client({ connectionString: testDatabaseUrl() })
    await locker.connect()
    try {
      await locker.query('begin')
      await locker.query(`lock table ${upstream.schema}.uploads in access exclusive mode`)
      const started = performance.now()
      const error = await tenant.read(({ uploads }) => uploads.getById(a.upload.id)).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(StatementTimeoutError)
      expect((error as StatementTimeoutError).sqlState).toBe('55P03')
      expect(performance.now() - started).toBeLessThan(1500)
      const patient = tenant.read(({ uploads }) => uploads.getById(a.upload.id), { lockTimeoutMs: 0 })
      setTimeout(() => void locker.query('commit'), 800)
      expect((await patient).id).toBe(a.upload.id)
    } finally {
      await locker.end()
    }
  })
})
