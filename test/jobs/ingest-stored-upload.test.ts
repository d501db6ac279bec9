import pg from 'pg'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { claimsTenant, createCustomer, DatabaseUnavailableError, enqueueUpload, failAbandonedUploads, ingestStoredUpload, LockNotAvailableError, migrateJobQueue, type ClaimsTenantScope } from '../support/upstream.js'
import { csvStream } from '../ingestion/csv-fixtures.js'
import { createTestDatabase, testDatabaseUrl, type TestDatabase } from '../support/test-database.js'

// this file's connections, so the kill below can never reach another test's (or another engineer's) COPY
const APP = `i10b-stored-${process.pid}`
let upstream: TestDatabase
let tenant: ClaimsTenantScope

beforeAll(async () => {
  upstream = await createTestDatabase({ pool: { application_name: APP } })
  await migrateJobQueue(upstream)
  tenant = claimsTenant(upstream, (await createCustomer(upstream, 'stored')).id)
})
afterAll(async () => upstream?.destroy())

const claimsOf = async (uploadId: number) =>
  (await sql<{ n: number }>`select count(*)::int as n from ${sql.id(upstream.schema, 'claim_records')} where upload_id = ${uploadId}`.execute(upstream.db)).rows[0]!.n
const bodyChunks = (uploadId: number) => tenant.read(({ db }) => db.selectFrom('upload_bodies').select('chunk').where('upload_id', '=', uploadId).execute())
const uploadOf = (uploadId: number) => tenant.read(({ uploads }) => uploads.getById(uploadId))

describe('ingestStoredUpload', () => {
  it('loads a stored upload once: a second run finds it done and loads nothing', async () => {
    const { id } = await enqueueUpload(tenant, { filename: 'once.csv', body: csvStream(2000) })
    expect(await ingestStoredUpload(tenant, id)).toMatchObject({ outcome: 'success', upload: { status: 'success', row_count: 2000 } })
    expect(await ingestStoredUpload(tenant, id)).toMatchObject({ outcome: 'already_done', upload: { status: 'success' } })
    expect(await claimsOf(id)).toBe(2000)
    expect(await bodyChunks(id)).toEqual([])
    expect(await ingestStoredUpload(tenant, 999_999)).toEqual({ outcome: 'missing', upload: undefined })
  })

  it('refuses a second attempt while a load of the same upload runs, without waiting for it', async () => {
    const { id } = await enqueueUpload(tenant, { filename: 'twice.csv', body: csvStream(30_000) })
    let second: Promise<unknown> | undefined
    const first = ingestStoredUpload(tenant, id, {
      onProgress: (rows) => {
        if (rows === 10_000) second = ingestStoredUpload(tenant, id).then((r) => r, (e: unknown) => e)
      },
    })
    expect(await first).toMatchObject({ outcome: 'success', upload: { row_count: 30_000 } })
    expect(await second).toBeInstanceOf(LockNotAvailableError) // the running load holds the upload's row lock
    expect(await claimsOf(id)).toBe(30_000)
  })

  it('leaves an upload whose load lost its connection processing, with its body, and a retry loads it', async () => {
    const killer = new pg.Client({ connectionString: testDatabaseUrl() })
    await killer.connect()
    try {
      const { id } = await enqueueUpload(tenant, { filename: 'lost.csv', body: csvStream(30_000) })
      const kill = async () => {
        const { rows } = await killer.query<{ pid: number }>(
          `select pid from pg_stat_activity where datname = current_database() and application_name = $2 and query like $1 and pid <> pg_backend_pid()`,
          [`/* upstream ingest upload=${id} */ copy %`, APP],
        )
        for (const { pid } of rows) await killer.query('select pg_terminate_backend($1)', [pid])
        return rows.length
      }
      let killed: Promise<number> | undefined
      const error = await ingestStoredUpload(tenant, id, { onProgress: (rows) => void (rows === 10_000 && (killed = kill())) }).then(
        () => undefined,
        (e: unknown) => e,
      )
      expect(await killed).toBe(1)
      expect(error).toBeInstanceOf(DatabaseUnavailableError)
      expect(await uploadOf(id)).toMatchObject({ status: 'processing', error_message: null })
      expect((await bodyChunks(id)).length).toBeGreaterThan(0)
      expect(await claimsOf(id)).toBe(0)
      // the sweep of abandoned uploads leaves it alone: its job owns it (and will retry it)
      expect((await failAbandonedUploads(upstream, { olderThanMs: 0 })).filter((u) => u.uploadId === id)).toEqual([])
      expect(await uploadOf(id)).toMatchObject({ status: 'processing' })

      expect(await ingestStoredUpload(tenant, id)).toMatchObject({ outcome: 'success', upload: { status: 'success', row_count: 30_000 } })
      expect(await claimsOf(id)).toBe(30_000)
    } finally {
      await killer.end()
    }
  })

  it('ends the upload failed on the final attempt, whatever the failure, so it is never stuck', async () => {
    const { id } = await enqueueUpload(tenant, { filename: 'last.csv', body: csvStream(30_000) })
    const controller = new AbortController()
    const attempt = (finalAttempt: boolean) =>
      ingestStoredUpload(tenant, id, { finalAttempt, signal: controller.signal, onProgress: (rows) => rows >= 10_000 && controller.abort() })
    await expect(attempt(false)).rejects.toMatchObject({ name: 'AbortError' })
    expect(await uploadOf(id)).toMatchObject({ status: 'processing' })
    const last = await attempt(true)
    expect(last).toMatchObject({ outcome: 'failed', upload: { status: 'failed', error_message: 'The upload was cancelled; nothing was loaded.' } })
    expect(await bodyChunks(id)).toEqual([])
    expect(await claimsOf(id)).toBe(0)
  })
})
