import { sql } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RequestAbortedError, claimsTenant, createClaimsHttpHandler, detectDrift, listClaims, type ClaimsTenantScope } from '../support/upstream.js'
import { createHttpFixture, type FixtureTenant } from '../http/http-fixture.js'
import { createTestDatabase, directTestDatabaseUrl, type TestDatabase } from '../support/test-database.js'
import { directlyBecause } from '../support/pooler.js'
import { activityOf, waitForActive } from './backend-activity.js'

// The signal option of the tenant scope, the lists, detectDrift and the HTTP core.

let upstream: TestDatabase
let a: FixtureTenant
let tenant: ClaimsTenantScope
let admin: pg.Client
const statements: string[] = []
const logged: { level: string; message?: string }[] = []
const logger = {
  error: (_fields: object, message?: string) => void logged.push({ level: 'error', message }),
  warn: (_fields: object, message?: string) => void logged.push({ level: 'warn', message }),
}

beforeAll(async () => {
  upstream = await createTestDatabase({ direct: true, log: (event) => void statements.push(event.query.sql) })
  ;({ a } = await createHttpFixture(upstream, 'abort'))
  tenant = claimsTenant(upstream, a.customerId)
  admin = new pg.Client({ connectionString: directTestDatabaseUrl() })
  await admin.connect()
})
afterAll(async () => {
  await admin?.end()
  await upstream?.destroy()
})

describe(`signal on the tenant scope, lists and drift${directlyBecause("it watches its own statement's backend in pg_stat_activity by pid; behind PgBouncer that is the pooler's server connection, which the next transaction may not get (cancel requests through PgBouncer are forwarded by it, but not asserted here)")}`, () => {
  it('an already-aborted signal rejects read, transaction, a list and a drift run before any query', async () => {
    const signal = AbortSignal.abort(new Error('gone'))
    statements.length = 0
    const results = await Promise.all([
      tenant.read(({ db }) => sql`select 1`.execute(db), { signal }).catch((e: unknown) => e),
      tenant.transaction(({ db }) => sql`select 1`.execute(db), { signal }).catch((e: unknown) => e),
      listClaims(tenant, { search: 'x' }, { url: 'http://api.test/api/v1/claims/', signal }).catch((e: unknown) => e),
      detectDrift(tenant, { as_of: '2026-03-01' }, { signal }).catch((e: unknown) => e),
    ])
    for (const r of results) {
      expect(r).toBeInstanceOf(RequestAbortedError)
      expect((r as RequestAbortedError).cause).toBe(signal.reason)
    }
    expect(statements).toEqual([])
    expect(await tenant.read(({ db }) => db.selectFrom('drift_reports').select('id').execute())).toEqual([])
  })

  it('a tenant read aborted mid-statement is cancelled in PostgreSQL, and the tenant reads on', async () => {
    const controller = new AbortController()
    const marker = `read-abort-${Date.now()}`
    const running = tenant.read(({ db }) => sql`select pg_sleep(30), ${sql.lit(marker)}`.execute(db), { signal: controller.signal }).catch((e: unknown) => e)
    const pid = await waitForActive(admin, marker)
    const t0 = performance.now()
    controller.abort()
    expect(await running).toBeInstanceOf(RequestAbortedError)
    expect(performance.now() - t0).toBeLessThan(1000)
    expect((await activityOf(admin, pid))?.state).toBe('idle')
    expect((await tenant.read(({ claims }) => claims.getById(a.claims[0]!.id))).id).toBe(a.claims[0]!.id)
  })
})

describe(`signal in the HTTP core${directlyBecause("it watches its own statement's backend in pg_stat_activity by pid; behind PgBouncer that is the pooler's server connection, which the next transaction may not get (cancel requests through PgBouncer are forwarded by it, but not asserted here)")}`, () => {
  it('a request whose signal fired answers 499 and logs nothing', async () => {
    logged.length = 0
    const handle = createClaimsHttpHandler({ upstream, logger })
    const url = new URL('http://api.test/api/v1/claims/?search=gone')
    for (const path of ['/api/v1/claims/', `/api/v1/claims/${a.claims[0]!.id}/`]) {
      const response = await handle({
        method: 'GET',
        path,
        query: url.searchParams,
        headers: { host: 'api.test', authorization: `Bearer ${a.token}` },
        body: null,
        url: `http://api.test${path}`,
        signal: AbortSignal.abort(),
      })
      expect(response.status).toBe(499)
      expect(response.body).toEqual({ detail: 'Client closed request.' })
    }
    expect(logged).toEqual([])
  })
})
