import { request, type ClientRequest } from 'node:http'
import { sql } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHttpFixture, type FixtureTenant } from '../http/http-fixture.js'
import { startExampleProcess } from '../support/example-process.js'
import { createTestDatabase, directTestDatabaseUrl, type TestDatabase } from '../support/test-database.js'
import { directlyBecause } from '../support/pooler.js'
import { activityOf, waitForActive, waitForState, waitUntilGone } from './backend-activity.js'

// A client that disconnects mid-search leaves no active backend for its query within a
// second, through the Express and Koa examples (their glue passes `response` to
// fromNodeRequest). The search's count statement is made slow on purpose: this test's schema
// gets a `count_estimate` (what the claims list's estimated count calls) that sleeps first.

let upstream: TestDatabase
let a: FixtureTenant
let admin: pg.Client

beforeAll(async () => {
  upstream = await createTestDatabase({ direct: true })
  ;({ a } = await createHttpFixture(upstream, 'disconnect'))
  await sql`
    create or replace function ${sql.id(upstream.schema)}.count_estimate(query text, threshold bigint) returns json
    language plpgsql volatile as $fn$
    begin
      perform pg_sleep(30);
      return json_build_object('count', 0, 'estimated', false);
    end $fn$`.execute(upstream.db)
  admin = new pg.Client({ connectionString: directTestDatabaseUrl() })
  await admin.connect()
})
afterAll(async () => {
  await admin?.end()
  await upstream?.destroy()
})

/** Sends a GET and returns the request, whose socket the test destroys (the client going away). */
function startGet(url: string, token: string): ClientRequest {
  const req = request(url, { headers: { authorization: `Bearer ${token}` } })
  req.on('error', () => undefined) // the socket is destroyed on purpose
  req.end()
  return req
}

describe.each(['express', 'koa'] as const)(`the %s example${directlyBecause("it watches its own statement's backend in pg_stat_activity by pid; behind PgBouncer that is the pooler's server connection, which the next transaction may not get (cancel requests through PgBouncer are forwarded by it, but not asserted here)")}`, (name) => {
  it('a client that disconnects mid-search cancels its statement in PostgreSQL within a second', async () => {
    const server = await startExampleProcess(name, { DATABASE_URL: directTestDatabaseUrl(), UPSTREAM_SCHEMA: upstream.schema })
    try {
      const marker = `${upstream.schema}.count_estimate`
      // a term that matches (the fixture's claim numbers a-1, a-2, a-3): the count is a column beside the rows,
      // so a search without matches is answered (count 0) without ever calling the count
      const req = startGet(`${server.url}/api/v1/claims/?search=a-`, a.token)
      const pid = await waitForActive(admin, marker)
      const before = await activityOf(admin, pid)
      console.info(`[${name}] pg_stat_activity before the disconnect:`, JSON.stringify(before))
      expect(before?.state).toBe('active')
      req.destroy()
      const goneMs = await waitUntilGone(admin, marker, 1000)
      const after = await activityOf(admin, pid)
      console.info(`[${name}] pg_stat_activity after the disconnect (${goneMs.toFixed(0)} ms):`, JSON.stringify(after))
      expect(after?.state).not.toBe('active')
      // then the read rolls back and its connection goes back to the pool idle
      const settled = await waitForState(admin, pid, 'idle', 1000)
      console.info(`[${name}] pg_stat_activity once rolled back:`, JSON.stringify(settled))
      // the server and its pool are healthy: the next request is answered
      const next = await fetch(`${server.url}/api/v1/uploads/`, { headers: { authorization: `Bearer ${a.token}` } })
      expect(next.status).toBe(200)
      expect(server.alive()).toBe(true)
      expect(server.output()).not.toMatch(/"level":(50|"error")/)
    } finally {
      await server.stop()
    }
  })
})
