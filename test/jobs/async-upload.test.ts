import { sql } from 'kysely'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { claimsJobTasks, claimsTenant, createClaimsHttpHandler, createCustomer, migrateJobQueue, runJobWorker, type ClaimsJobsOptions, type ClaimsTenantScope, type DriftNotice, type JobWorker } from '../support/upstream.js'
import { callHandler } from '../http/call-handler.js'
import { HEADER, validRow } from '../ingestion/csv-fixtures.js'
import { createTestDatabase, type TestDatabase } from '../support/test-database.js'
import { eventually, queuedJobs } from './support/queue.js'

let upstream: TestDatabase
let a: { tenant: ClaimsTenantScope; token: string }
let b: { tenant: ClaimsTenantScope; token: string }
const notices: { notice: DriftNotice; at: number }[] = []
const jobs: ClaimsJobsOptions = {
  driftDelayMs: 0,
  driftSubscribers: {
    // a webhook that is down the first time each report is announced
    flaky: async (notice) => {
      notices.push({ notice, at: Date.now() })
      if (notices.filter((n) => n.notice.report.id === notice.report.id).length === 1) throw new Error('webhook down')
    },
  },
}
const workers: JobWorker[] = []

const csv = (rows: number, replace?: (i: number) => string | undefined) =>
  `${HEADER}\n${Array.from({ length: rows }, (_, k) => replace?.(k + 1) ?? validRow(k + 1)).join('\n')}\n`

async function startWorker(): Promise<JobWorker> {
  const worker = await runJobWorker({ upstream, tasks: claimsJobTasks(upstream, jobs), pollIntervalMs: 100, heartbeatIntervalMs: 200, staleAfterMs: 2000 })
  workers.push(worker)
  return worker
}

beforeAll(async () => {
  upstream = await createTestDatabase()
  await migrateJobQueue(upstream)
  const make = async (name: string) => {
    const tenant = claimsTenant(upstream, (await createCustomer(upstream, name)).id)
    const { token } = await tenant.transaction(({ apiKeys }) => apiKeys.create())
    return { tenant, token }
  }
  a = await make('async a')
  b = await make('async b')
})
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop()))
})
afterAll(async () => upstream?.destroy())

const handle = () => createClaimsHttpHandler({ upstream, jobs, logger: { error: () => {}, warn: () => {} } })
const post = (token: string, filename: string, body: string, prefer?: string) =>
  callHandler(handle(), {
    method: 'POST',
    path: `/api/v1/uploads/?filename=${filename}`,
    token,
    headers: { 'content-type': 'text/csv', ...(prefer ? { prefer } : {}) },
    body,
  })
const get = (token: string, path: string) => callHandler(handle(), { path, token })

describe('POST /uploads/ with Prefer: respond-async', () => {
  it('answers 202 with the pending upload and its Location; a worker loads it, all or nothing', async () => {
    const accepted = await post(a.token, 'async.csv', csv(5000), 'respond-async, wait=5')
    expect(accepted.status).toBe(202)
    expect(accepted.headers['preference-applied']).toBe('respond-async')
    const upload = accepted.json as { id: number; status: string }
    expect(upload.status).toBe('pending')
    const location = accepted.headers.location!
    expect(location).toBe(`http://api.test/api/v1/uploads/${upload.id}/`)
    expect((await get(a.token, location)).json).toMatchObject({ id: upload.id, status: 'pending', row_count: null })
    expect((await get(b.token, location)).status).toBe(404) // another tenant: as missing

    await startWorker()
    const done = await eventually(async () => {
      const res = await get(a.token, location)
      return (res.json as { status: string }).status === 'success' ? res.json : undefined
    }, 'the upload to succeed')
    expect(done).toMatchObject({ id: upload.id, status: 'success', row_count: 5000, error_message: null })
    const claims = await get(a.token, `/api/v1/uploads/${upload.id}/claim_records/?page_size=1`)
    expect((claims.json as { count: number }).count).toBe(5000)
    const body = await a.tenant.read(({ db }) => db.selectFrom('upload_bodies').select('chunk').where('upload_id', '=', upload.id).execute())
    expect(body).toEqual([]) // deleted with the load
  })

  it('stays synchronous without the header (201 with the finished upload)', async () => {
    const res = await post(a.token, 'sync.csv', csv(3))
    expect(res.status).toBe(201)
    expect(res.headers['preference-applied']).toBeUndefined()
    expect(res.json).toMatchObject({ status: 'success', row_count: 3 })
  })

  it('ends a file with bad rows failed, with the same row errors a synchronous upload answers', async () => {
    const bad = csv(50, (i) => (i === 7 ? validRow(7).replace(/,2024-(\d\d)-/, ',2024-13-') : i === 28 ? validRow(28).replace(',paid,', ',refunded,') : undefined))
    const sync = await post(a.token, 'bad-sync.csv', bad)
    expect(sync.status).toBe(422)
    const accepted = await post(a.token, 'bad-async.csv', bad, 'respond-async')
    expect(accepted.status).toBe(202)
    const id = (accepted.json as { id: number }).id
    await startWorker()
    const failed = await eventually(async () => {
      const res = await get(a.token, `/api/v1/uploads/${id}/`)
      return (res.json as { status: string }).status === 'failed' ? (res.json as { error_message: string }) : undefined
    }, 'the upload to fail')
    expect(failed.error_message).toBe((sync.json as { detail: string }).detail)
    const errors = await get(a.token, `/api/v1/uploads/${id}/errors/`)
    expect(errors.status).toBe(200)
    expect(errors.json).toMatchObject({ detail: failed.error_message, upload: { id, status: 'failed' } })
    expect((errors.json as { errors: unknown[] }).errors).toEqual((sync.json as { errors: unknown[] }).errors)
    expect((errors.json as { errors: unknown[] }).errors).toHaveLength(2)
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.id(upstream.schema, 'claim_records')} where upload_id = ${id}`.execute(upstream.db)
    expect(rows[0]!.n).toBe(0)
    expect((await get(b.token, `/api/v1/uploads/${id}/errors/`)).status).toBe(404)
  })
})

describe('drift after uploads', () => {
  it('schedules one drift run per tenant, however many uploads succeed, and runs it', async () => {
    // no worker running: the jobs wait in the queue
    await post(a.token, 'd1.csv', csv(5))
    await post(a.token, 'd2.csv', csv(5))
    await post(a.token, 'd3.csv', csv(5), 'respond-async') // pending: schedules nothing until it succeeds
    await post(b.token, 'd4.csv', csv(5))
    await post(b.token, 'd5.csv', csv(5, (i) => (i === 2 ? 'nonsense' : undefined))) // failed: schedules nothing
    const scheduled = await queuedJobs(upstream, 'upstream.drift_run')
    expect(scheduled.map((j) => [j.key, j.queue_name, j.payload]).sort()).toEqual(
      [
        [`tenant:${a.tenant.customerId}:drift`, `tenant:${a.tenant.customerId}:drift`, { customer_id: a.tenant.customerId }],
        [`tenant:${b.tenant.customerId}:drift`, `tenant:${b.tenant.customerId}:drift`, { customer_id: b.tenant.customerId }],
      ].sort(),
    )

    await startWorker()
    await eventually(async () => ((await queuedJobs(upstream, 'upstream.drift_run')).length === 0 && (await queuedJobs(upstream, 'upstream.ingest_upload')).length === 0 ? true : undefined), 'the queue to drain')
    for (const t of [a, b]) {
      const reports = await t.tenant.read(({ db }) => db.selectFrom('drift_reports').select(['id', 'as_of']).execute())
      expect(reports).toHaveLength(1) // force: true replaces the day's report, never a second one
    }
  })

  it('turns each durable subscriber into a job that is retried with backoff until it succeeds', async () => {
    await startWorker()
    const run = await callHandler(handle(), { method: 'POST', path: '/api/v1/drift/reports/', token: b.token, body: JSON.stringify({ as_of: '2030-01-01' }), headers: { 'content-type': 'application/json' } })
    expect(run.status).toBe(201)
    const reportId = (run.json as { id: number }).id
    const calls = await eventually(async () => {
      const mine = notices.filter((n) => n.notice.report.id === reportId)
      return mine.length >= 2 ? mine : undefined
    }, 'the subscriber to succeed on its second attempt')
    expect(calls).toHaveLength(2)
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(2000) // graphile-worker's backoff: e^1 s after the first failure
    expect(calls[1]!.notice).toMatchObject({ customerId: b.tenant.customerId, replaced: false, report: { id: reportId, as_of: '2030-01-01' } })
    await eventually(async () => ((await queuedJobs(upstream, 'upstream.drift_notify')).length === 0 ? true : undefined), 'the notify job to complete')
  })
})
