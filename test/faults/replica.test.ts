import { setTimeout as sleep } from 'node:timers/promises'
import { sql } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { claimsMigrations, createDatabase, claimsTenant, migrateToLatest, ReadOnlyDatabaseError, SerializationFailureError, type UpstreamDatabase, createClaimsHttpHandler, type ClaimsDatabase } from '../support/upstream.js'
import { callHandler } from '../http/call-handler.js'
import { createHttpFixture, type FixtureTenant } from '../http/http-fixture.js'
import { startOwnPostgres, type OwnPostgres } from '../support/own-postgres.js'

// A real hot standby (pg_basebackup -R of a cluster this test starts, streaming): its
// refusals of writes are typed (ReadOnlyDatabaseError, HTTP 503 + Retry-After with a clear
// detail), and a read it cancels for a recovery conflict (40001) runs again.

let primary: OwnPostgres
let standby: OwnPostgres
let onPrimary: UpstreamDatabase<ClaimsDatabase>
let onStandby: UpstreamDatabase<ClaimsDatabase>
let a: FixtureTenant

beforeAll(async () => {
  primary = await startOwnPostgres()
  onPrimary = await createDatabase<ClaimsDatabase>({ connectionString: primary.url })
  await migrateToLatest(onPrimary, { sets: [claimsMigrations] })
  ;({ a } = await createHttpFixture(onPrimary, 'replica'))
  // replay cancels a conflicting read after 100 ms (the default waits 30 s)
  standby = await primary.standby({ max_standby_streaming_delay: '100ms' })
  onStandby = await createDatabase<ClaimsDatabase>({ connectionString: standby.url })
  // the fixture has reached the standby
  for (let i = 0; i < 100; i++) {
    const seen = await claimsTenant(onStandby, a.customerId).read(({ db }) => db.selectFrom('uploads').select('id').execute()).catch(() => [])
    if (seen.length > 0) break
    await sleep(50)
  }
}, 120_000)
afterAll(async () => {
  await onStandby?.destroy()
  await onPrimary?.destroy()
  await standby?.destroy()
  await primary?.destroy()
})

describe('writes sent to a hot standby', () => {
  it('a tenant transaction is refused as ReadOnlyDatabaseError (0A000: read-write mode during recovery)', async () => {
    const error = await claimsTenant(onStandby, a.customerId).transaction(({ uploads }) => uploads.create({ filename: 'on-replica.csv' })).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ReadOnlyDatabaseError)
    expect((error as ReadOnlyDatabaseError).sqlState).toBe('0A000')
  })

  it('a bare write is refused as ReadOnlyDatabaseError (25006)', async () => {
    const error = await sql`create table ${sql.id(onStandby.schema, 'nope')} (id int)`.execute(onStandby.db).catch((e: unknown) => e)
    // classified by the HTTP layer's mapping, as any driver error is
    const { toDatabaseError } = await import('../../src/errors/to-database-error.js')
    const typed = toDatabaseError(error)
    expect(typed).toBeInstanceOf(ReadOnlyDatabaseError)
    expect((typed as ReadOnlyDatabaseError).sqlState).toBe('25006')
  })

  it('over HTTP: 503 with Retry-After and a clear detail for writes, 200 for reads', async () => {
    const handle = createClaimsHttpHandler({ upstream: onStandby, logger: { error: () => undefined, warn: () => undefined } })
    const drift = await callHandler(handle, { method: 'POST', path: '/api/v1/drift/reports/', token: a.token, headers: { 'content-type': 'application/json' }, body: '{"as_of": "2026-03-01"}' })
    expect(drift.status).toBe(503)
    expect(drift.headers['retry-after']).toBe('1')
    expect(drift.json).toEqual({ detail: 'The database is read-only at the moment (a replica or a server in recovery); writes are refused. Try again later.' })
    const upload = await callHandler(handle, { method: 'POST', path: '/api/v1/uploads/?filename=r.csv', token: a.token, headers: { 'content-type': 'text/csv' }, body: 'claim_number\n' })
    expect(upload.status).toBe(503)
    expect((await callHandler(handle, { path: '/api/v1/uploads/', token: a.token })).status).toBe(200)
  })
})

describe('a read cancelled by a recovery conflict', () => {
  it('runs again and answers', async () => {
    const locker = new pg.Client({ connectionString: primary.url })
    await locker.connect()
    const watcher = new pg.Client({ connectionString: standby.url })
    await watcher.connect()
    try {
      let attempts = 0
      const reading = claimsTenant(onStandby, a.customerId).read(async ({ db }) => {
        attempts++
        const rows = await db.selectFrom('uploads').select('id').execute() // holds AccessShareLock on uploads
        if (attempts === 1) await sql`select pg_sleep(3) /* replica-conflict */`.execute(db)
        return rows
      })
      for (let i = 0; i < 200; i++) {
        const { rows } = await watcher.query("select 1 from pg_stat_activity where query like '%replica-conflict%' and state = 'active' and pid <> pg_backend_pid()")
        if (rows.length > 0) break
        await sleep(20)
      }
      // an ACCESS EXCLUSIVE lock on the primary is replayed on the standby: it conflicts with the read
      await locker.query('begin')
      await locker.query('lock table "upstream".uploads in access exclusive mode')
      await locker.query('commit')
      const rows = await reading
      expect(attempts).toBe(2)
      expect(rows.length).toBeGreaterThan(0)
    } finally {
      await watcher.end()
      await locker.end()
    }
  })

  it('surfaces as SerializationFailureError when retries are exhausted (a transaction with one attempt)', async () => {
    const locker = new pg.Client({ connectionString: primary.url })
    await locker.connect()
    try {
      const reading = claimsTenant(onStandby, a.customerId)
        .transaction(async ({ db }) => {
          await db.selectFrom('uploads').select('id').execute()
          await sql`select pg_sleep(3)`.execute(db)
        }, { readOnly: true, maxAttempts: 1 })
        .catch((e: unknown) => e)
      await sleep(500)
      await locker.query('begin')
      await locker.query('lock table "upstream".uploads in access exclusive mode')
      await locker.query('commit')
      const error = await reading
      expect(error).toBeInstanceOf(SerializationFailureError)
    } finally {
      await locker.end()
    }
  })
})
