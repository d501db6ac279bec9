import { setTimeout as sleep } from 'node:timers/promises'
import { sql } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DatabaseUnavailableError, claimsTenant, type ClaimsTenantScope, createClaimsHttpHandler } from '../support/upstream.js'
import { createHttpFixture, type FixtureTenant } from '../http/http-fixture.js'
import { callHandler } from '../http/call-handler.js'
import { directlyBecause } from '../support/pooler.js'
import { createTestDatabase, directTestDatabaseUrl, type TestDatabase } from '../support/test-database.js'

// A PostgreSQL backend of the pool dies (pg_terminate_backend, an admin, a failover): the
// process must not die with it (node-postgres emits `error` on the pool, or on a checked-out
// client, and an unhandled `error` event ends Node), the request in flight gets a typed error
// (HTTP 503 with Retry-After), and the next request gets a fresh connection.

let upstream: TestDatabase
let tenant: ClaimsTenantScope
let a: FixtureTenant
let admin: pg.Client
const connectionErrors: Error[] = []

beforeAll(async () => {
  upstream = await createTestDatabase({ direct: true, pool: { max: 3 }, onConnectionError: (error) => connectionErrors.push(error) })
  ;({ a } = await createHttpFixture(upstream, 'terminated'))
  tenant = claimsTenant(upstream, a.customerId)
  admin = new pg.Client({ connectionString: directTestDatabaseUrl() })
  await admin.connect()
})
afterAll(async () => {
  await admin?.end()
  await upstream?.destroy()
})

/** Terminates ONE backend by its pid (never pg_terminate_backend in a WHERE over pg_stat_activity). */
async function terminate(pid: number): Promise<void> {
  const { rows } = await admin.query<{ ok: boolean }>('select pg_terminate_backend($1) as ok', [pid])
  expect(rows[0]?.ok).toBe(true)
}

/** The pid of the one backend whose current query carries `marker`, once it is running. */
async function pidRunning(marker: string): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const { rows } = await admin.query<{ pid: number }>(
      "select pid from pg_stat_activity where state = 'active' and query like $1 and pid <> pg_backend_pid()",
      [`%${marker}%`],
    )
    if (rows.length === 1) return rows[0]!.pid
    await sleep(25)
  }
  throw new Error(`no backend runs ${marker}`)
}

describe(`a pooled backend terminated${directlyBecause("it kills its own backend, which behind PgBouncer is the pooler's server connection, not the app's")}`, () => {
  it('while idle: the pool reports and drops it, the process lives, the next read works', async () => {
    const before = connectionErrors.length
    // every connection the pool holds is idle after this: terminate them all, pid by pid
    const pids = await Promise.all([1, 2, 3].map(() => tenant.read(({ db }) => sql<{ pid: number }>`select pg_backend_pid() as pid, pg_sleep(0.05)`.execute(db))))
    const unique = [...new Set(pids.map((r) => r.rows[0]!.pid))]
    expect(unique.length).toBeGreaterThan(0)
    for (const pid of unique) await terminate(pid)
    for (let i = 0; i < 100 && connectionErrors.length < before + unique.length; i++) await sleep(20)
    expect(connectionErrors.length - before).toBe(unique.length)
    expect(connectionErrors.at(-1)).toMatchObject({ code: '57P01' })
    // no request paid for it: the dead connections were dropped before anyone used them
    const upload = await tenant.read(({ uploads }) => uploads.getById(a.upload.id))
    expect(upload.id).toBe(a.upload.id)
  })

  it('while in a query: that query fails as DatabaseUnavailableError, the next one works', async () => {
    const running = tenant.read(({ db }) => sql`select pg_sleep(5) /* in-query-kill */`.execute(db)).then(
      () => 'finished',
      (e: unknown) => e,
    )
    const started = performance.now()
    await terminate(await pidRunning('in-query-kill'))
    const error = await running
    expect(error).toBeInstanceOf(DatabaseUnavailableError)
    expect(performance.now() - started).toBeLessThan(2000) // the 5 s sleep did not run out
    expect((await tenant.read(({ uploads }) => uploads.getById(a.upload.id))).id).toBe(a.upload.id)
  })

  it('while checked out between two statements: the process lives, the transaction fails typed', async () => {
    const error = await tenant
      .transaction(async ({ db }) => {
        const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db)
        await terminate(rows[0]!.pid)
        // the socket's `error` reaches the checked-out client while no query is pending
        await sleep(200)
        return db.selectFrom('uploads').select('id').execute()
      })
      .then(
        () => 'committed',
        (e: unknown) => e,
      )
    expect(error).toBeInstanceOf(DatabaseUnavailableError)
    expect((await tenant.read(({ uploads }) => uploads.getById(a.upload.id))).id).toBe(a.upload.id)
  })

  it('under an HTTP request: 503 with Retry-After for the request in flight, 200 for the next', async () => {
    const handle = createClaimsHttpHandler({ upstream, logger: { error: () => undefined, warn: () => undefined } })
    const locker = new pg.Client({ connectionString: directTestDatabaseUrl() })
    await locker.connect()
    try {
      // hold the request inside PostgreSQL: its read waits for this table lock (read lock
      // timeout off for this database, so only the termination ends the wait)
      const patient = Object.freeze({ ...upstream, readTimeouts: { statementTimeoutMs: 10_000, lockTimeoutMs: 0 } })
      const patientHandle = createClaimsHttpHandler({ upstream: patient, logger: { error: () => undefined, warn: () => undefined } })
      await locker.query('begin')
      await locker.query(`lock table ${upstream.schema}.drift_reports in access exclusive mode`)
      const inFlight = callHandler(patientHandle, { path: '/api/v1/drift/reports/', token: a.token })
      let pid: number | undefined
      for (let i = 0; i < 200 && pid === undefined; i++) {
        const { rows } = await admin.query<{ pid: number }>(
          "select pid from pg_stat_activity where wait_event_type = 'Lock' and query like $1 and pid <> pg_backend_pid()",
          [`%"${upstream.schema}"."drift_reports"%`],
        )
        if (rows.length === 1) pid = rows[0]!.pid
        else await sleep(25)
      }
      expect(pid).toBeDefined()
      await terminate(pid!)
      const response = await inFlight
      expect(response.status).toBe(503)
      expect(response.headers['retry-after']).toBe('1')
      expect(response.json).toEqual({ detail: 'Service temporarily unavailable, try again later.' })
      await locker.query('commit')
      expect((await callHandler(handle, { path: '/api/v1/drift/reports/', token: a.token })).status).toBe(200)
    } finally {
      await locker.end()
    }
  })
})
