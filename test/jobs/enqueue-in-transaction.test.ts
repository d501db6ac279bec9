import { Readable } from 'node:stream'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { claimsTenant, createCustomer, EmptyUploadError, enqueueTenantJob, enqueueUpload, JobQueueUnavailableError, migrateJobQueue, PayloadTooLargeError, UploadBodyError, type ClaimsTenantScope } from '../support/upstream.js'
import { createTestDatabase, type TestDatabase } from '../support/test-database.js'
import { csvStream } from '../ingestion/csv-fixtures.js'
import { queuedJobs } from './support/queue.js'

let upstream: TestDatabase
let a: ClaimsTenantScope
let b: ClaimsTenantScope

beforeAll(async () => {
  upstream = await createTestDatabase()
  await migrateJobQueue(upstream)
  await migrateJobQueue(upstream) // idempotent
  a = claimsTenant(upstream, (await createCustomer(upstream, 'jobs a')).id)
  b = claimsTenant(upstream, (await createCustomer(upstream, 'jobs b')).id)
})
afterAll(async () => upstream?.destroy())

const count = async (table: string) =>
  (await sql<{ n: number }>`select count(*)::int as n from ${sql.id(upstream.schema, table)}`.execute(upstream.db)).rows[0]!.n

describe('enqueueTenantJob', () => {
  it('commits the job with the transaction, and a rolled-back transaction leaves no job', async () => {
    const before = (await queuedJobs(upstream, 'test.rollback')).length
    await expect(
      a.transaction(async ({ db, uploads }) => {
        await uploads.create({ filename: 'rolled-back.csv' })
        await enqueueTenantJob(db, upstream.schema, { task: 'test.rollback', payload: { n: 1 } })
        throw new Error('roll back')
      }),
    ).rejects.toThrow('roll back')
    expect(await queuedJobs(upstream, 'test.rollback')).toHaveLength(before)
    const id = await a.transaction(({ db }) => enqueueTenantJob(db, upstream.schema, { task: 'test.rollback', payload: { n: 2 } }))
    const jobs = await queuedJobs(upstream, 'test.rollback')
    expect(jobs.map((j) => j.id)).toContain(id)
  })

  it("stamps the transaction's tenant into the payload, whatever the caller wrote there", async () => {
    const id = await a.transaction(({ db }) => enqueueTenantJob(db, upstream.schema, { task: 'test.stamp', payload: { customer_id: b.customerId, x: 'y' } }))
    const job = (await queuedJobs(upstream, 'test.stamp')).find((j) => j.id === id)!
    expect(job.payload).toEqual({ customer_id: a.customerId, x: 'y' })
  })

  it("prefixes job keys and queue names with the tenant: one tenant's key never replaces another's job", async () => {
    const spec = { task: 'test.keyed', jobKey: 'same', queueName: 'q' } as const
    await a.transaction(({ db }) => enqueueTenantJob(db, upstream.schema, spec))
    await a.transaction(({ db }) => enqueueTenantJob(db, upstream.schema, spec)) // replaces a's own
    await b.transaction(({ db }) => enqueueTenantJob(db, upstream.schema, spec))
    const jobs = await queuedJobs(upstream, 'test.keyed')
    expect(jobs.map((j) => [j.key, j.queue_name, j.payload.customer_id]).sort()).toEqual(
      [
        [`tenant:${a.customerId}:same`, `tenant:${a.customerId}:q`, a.customerId],
        [`tenant:${b.customerId}:same`, `tenant:${b.customerId}:q`, b.customerId],
      ].sort(),
    )
  })

  it("refuses without a tenant, and the runtime role cannot touch the queue's tables directly", async () => {
    await expect(sql`select ${sql.id(upstream.schema, 'enqueue_tenant_job')}('test.none')`.execute(upstream.db)).rejects.toMatchObject({ code: '42501' })
    const q = `${upstream.schema}_jobs`
    await expect(a.transaction(({ db }) => sql`select count(*) from ${sql.id(q, '_private_jobs')}`.execute(db))).rejects.toThrow(/permission denied for schema/)
    await expect(a.transaction(({ db }) => sql`select ${sql.id(q, 'add_job')}('test.direct')`.execute(db))).rejects.toThrow(/permission denied for schema/)
  })

  it('says the queue is not installed, and the transaction rolls back', async () => {
    const bare = await createTestDatabase()
    try {
      const t = claimsTenant(bare, (await createCustomer(bare, 'no queue')).id)
      const error = await t
        .transaction(async ({ db, uploads }) => {
          await uploads.create({ filename: 'x.csv' })
          await enqueueTenantJob(db, bare.schema, { task: 'test.none' })
        })
        .then(
          () => undefined,
          (e: unknown) => e,
        )
      expect(error).toBeInstanceOf(JobQueueUnavailableError)
      expect(error).toMatchObject({ reason: 'not_installed' })
      expect(await t.read(({ uploads }) => uploads.findById(1))).toBeUndefined()
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.id(bare.schema, 'uploads')}`.execute(bare.db)
      expect(rows[0]!.n).toBe(0)
    } finally {
      await bare.destroy()
    }
  })
})

describe('enqueueUpload', () => {
  it('stores the upload, its body and its job in one transaction', async () => {
    const upload = await enqueueUpload(a, { filename: 'stored.csv', body: csvStream(40_000) })
    expect(upload).toMatchObject({ status: 'pending', row_count: null })
    const chunks = await a.read(({ db }) =>
      db.selectFrom('upload_bodies').select(['chunk', sql<number>`octet_length(data)`.as('bytes')]).where('upload_id', '=', upload.id).orderBy('chunk').execute(),
    )
    expect(chunks.length).toBeGreaterThan(1) // ~2.4 MB in 256 KiB chunks
    expect(chunks.map((c) => c.chunk)).toEqual(chunks.map((_, i) => i))
    const jobs = (await queuedJobs(upstream, 'upstream.ingest_upload')).filter((j) => j.payload.upload_id === upload.id)
    expect(jobs).toHaveLength(1)
    expect(jobs[0]).toMatchObject({ payload: { upload_id: upload.id, customer_id: a.customerId }, max_attempts: 5 })
  })

  it('creates nothing when the body is over the limit, breaks off, or is empty', async () => {
    const uploads = await count('uploads')
    const bodies = await count('upload_bodies')
    const jobs = (await queuedJobs(upstream, 'upstream.ingest_upload')).length

    await expect(enqueueUpload(a, { filename: 'big.csv', body: csvStream(50_000), maxBytes: 1_500_000 })).rejects.toBeInstanceOf(PayloadTooLargeError)
    const broken = Readable.from(
      (async function* () {
        yield Buffer.alloc(2 * 1024 * 1024, 'a') // two chunks stored first
        throw new Error('client went away')
      })(),
    )
    await expect(enqueueUpload(a, { filename: 'broken.csv', body: broken })).rejects.toBeInstanceOf(UploadBodyError)
    await expect(enqueueUpload(a, { filename: 'empty.csv', body: Readable.from([]) })).rejects.toBeInstanceOf(EmptyUploadError)

    expect(await count('uploads')).toBe(uploads)
    expect(await count('upload_bodies')).toBe(bodies)
    expect(await queuedJobs(upstream, 'upstream.ingest_upload')).toHaveLength(jobs)
  })

  it("keeps bodies tenant-private: another tenant reads none of them", async () => {
    const upload = await enqueueUpload(a, { filename: 'private.csv', body: csvStream(10) })
    const seen = await b.read(({ db }) => db.selectFrom('upload_bodies').select('chunk').where('upload_id', '=', upload.id).execute())
    expect(seen).toEqual([])
  })
})
