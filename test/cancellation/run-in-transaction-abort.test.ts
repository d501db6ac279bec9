import { setTimeout as sleep } from 'node:timers/promises'
import { sql } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RequestAbortedError } from '../../src/errors/index.js'
import { postgresPoolOf } from '../../src/db/internal.js'
import { runInTransaction } from '../../src/transactions/run-in-transaction.js'
import { createTestDatabase, directTestDatabaseUrl, type TestDatabase } from '../support/test-database.js'
import { directlyBecause } from '../support/pooler.js'
import { activityOf, waitForActive } from './backend-activity.js'

// An AbortSignal on runInTransaction: an abort mid-statement sends PostgreSQL a real cancel
// request, the transaction rolls back, the connection goes back to the pool healthy, and the
// error is a RequestAbortedError carrying the signal's reason.

let upstream: TestDatabase
let admin: pg.Client
const statements: string[] = []

beforeAll(async () => {
  upstream = await createTestDatabase({ direct: true, pool: { max: 1 }, log: (event) => void statements.push(event.query.sql) })
  await sql`create table ${sql.id(upstream.schema, 'cancel_probe')} (id int primary key)`.execute(upstream.db)
  admin = new pg.Client({ connectionString: directTestDatabaseUrl() })
  await admin.connect()
})
afterAll(async () => {
  await admin?.end()
  await upstream?.destroy()
})

const probe = () => sql.id(upstream.schema, 'cancel_probe')

describe(`runInTransaction with a signal${directlyBecause("it watches its own statement's backend in pg_stat_activity by pid; behind PgBouncer that is the pooler's server connection, which the next transaction may not get (cancel requests through PgBouncer are forwarded by it, but not asserted here)")}`, () => {
  it('an already-aborted signal rejects before any query', async () => {
    statements.length = 0
    const reason = new Error('gone')
    let called = false
    const error = await runInTransaction(
      upstream.db,
      async () => {
        called = true
      },
      { signal: AbortSignal.abort(reason) },
    ).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RequestAbortedError)
    expect((error as RequestAbortedError).name).toBe('RequestAbortedError')
    expect((error as RequestAbortedError).cause).toBe(reason)
    expect(called).toBe(false)
    expect(statements).toEqual([])
  })

  it('an abort mid-statement cancels it in PostgreSQL, rolls back, and leaves the pooled connection healthy', async () => {
    const pool = postgresPoolOf(upstream.db)!
    const pidBefore = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(upstream.db)).rows[0]!.pid
    const controller = new AbortController()
    const reason = new Error('client went away')
    const marker = `cancel-mid-${Date.now()}`
    const running = runInTransaction(
      upstream.db,
      async (trx) => {
        await sql`insert into ${probe()} (id) values (1)`.execute(trx)
        await sql`select pg_sleep(30), ${sql.lit(marker)}`.execute(trx)
        await sql`insert into ${probe()} (id) values (2)`.execute(trx)
      },
      { signal: controller.signal },
    ).catch((e: unknown) => e)
    const pid = await waitForActive(admin, marker)
    expect(pid).toBe(pidBefore)
    const before = await activityOf(admin, pid)
    console.info('pg_stat_activity before abort:', JSON.stringify(before))
    expect(before?.state).toBe('active')
    const t0 = performance.now()
    controller.abort(reason)
    const error = await running
    const elapsed = performance.now() - t0
    const after = await activityOf(admin, pid)
    console.info(`pg_stat_activity after abort (${elapsed.toFixed(0)} ms):`, JSON.stringify(after))
    expect(error).toBeInstanceOf(RequestAbortedError)
    expect((error as RequestAbortedError).cause).toBe(reason)
    expect(elapsed).toBeLessThan(1000)
    expect(after?.state).toBe('idle') // the statement no longer runs; not idle in transaction
    // rolled back: the first insert is not there
    expect((await sql<{ n: number }>`select count(*)::int as n from ${probe()}`.execute(upstream.db)).rows[0]!.n).toBe(0)
    // the same pooled connection (not discarded), healthy: a transaction works on it
    await runInTransaction(upstream.db, (trx) => sql`insert into ${probe()} (id) values (3)`.execute(trx))
    const health = (await sql<{ pid: number; n: number }>`select pg_backend_pid() as pid, (select count(*)::int from ${probe()}) as n`.execute(upstream.db)).rows[0]!
    expect(health).toEqual({ pid: pidBefore, n: 1 })
    expect(pool.totalCount).toBe(1)
    await sql`delete from ${probe()}`.execute(upstream.db)
  })

  it('an abort between statements stops the next one before it is sent', async () => {
    const controller = new AbortController()
    const sent: string[] = []
    const error = await runInTransaction(
      upstream.db,
      async (trx) => {
        await sql`insert into ${probe()} (id) values (4)`.execute(trx)
        controller.abort()
        await sleep(20)
        sent.push('next')
        await sql`insert into ${probe()} (id) values (5)`.execute(trx)
      },
      { signal: controller.signal },
    ).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RequestAbortedError)
    expect(sent).toEqual(['next'])
    expect((await sql<{ n: number }>`select count(*)::int as n from ${probe()}`.execute(upstream.db)).rows[0]!.n).toBe(0)
  })

  it('work that finishes after the abort is rolled back, not committed', async () => {
    const controller = new AbortController()
    const error = await runInTransaction(
      upstream.db,
      async (trx) => {
        await sql`insert into ${probe()} (id) values (6)`.execute(trx)
        controller.abort()
      },
      { signal: controller.signal },
    ).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RequestAbortedError)
    expect((await sql<{ n: number }>`select count(*)::int as n from ${probe()}`.execute(upstream.db)).rows[0]!.n).toBe(0)
  })

  it('a signal that never fires changes nothing', async () => {
    const controller = new AbortController()
    const n = await runInTransaction(upstream.db, async (trx) => (await sql<{ n: number }>`select 1 as n`.execute(trx)).rows[0]!.n, { signal: controller.signal })
    expect(n).toBe(1)
  })
})
