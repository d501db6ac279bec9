import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { sql } from 'kysely'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { claimsJobTasks, claimsTenant, createCustomer, enqueueUpload, migrateJobQueue, runJobWorker, type ClaimsTenantScope, type JobWorker } from '../support/upstream.js'
import { csvStream } from '../ingestion/csv-fixtures.js'
import { createTestDatabase, testDatabaseUrl, type TestDatabase } from '../support/test-database.js'
import { eventually, queuedJobs } from './support/queue.js'

const WORKER_SCRIPT = fileURLToPath(new URL('../../examples/worker/worker.ts', import.meta.url))
const HEARTBEAT_MS = 200
const STALE_AFTER_MS = 1500

// the connections of this file and of its worker child: the COPY it watches is its own, never another test's
const APP = `i10b-faults-${process.pid}`
let upstream: TestDatabase
let tenant: ClaimsTenantScope
const workers: JobWorker[] = []
const children: ChildProcess[] = []

beforeAll(async () => {
  upstream = await createTestDatabase({ pool: { application_name: APP } })
  await migrateJobQueue(upstream)
  tenant = claimsTenant(upstream, (await createCustomer(upstream, 'faults')).id)
})
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  await Promise.all(workers.splice(0).map((w) => w.stop()))
})
afterAll(async () => upstream?.destroy())

async function inProcessWorker(shutdownTimeoutMs = 20_000): Promise<JobWorker> {
  const worker = await runJobWorker({
    upstream,
    tasks: claimsJobTasks(upstream, { driftAfterUpload: false }),
    pollIntervalMs: 100,
    heartbeatIntervalMs: HEARTBEAT_MS,
    staleAfterMs: STALE_AFTER_MS,
    shutdownTimeoutMs,
  })
  workers.push(worker)
  return worker
}

/** `npm run worker` (examples/worker/worker.ts under tsx) in a child process, started once it logs 'worker started'. */
async function childWorker(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER_SCRIPT], {
    env: {
      ...process.env,
      DATABASE_URL: testDatabaseUrl(),
      UPSTREAM_SCHEMA: upstream.schema,
      WORKER_HEARTBEAT_MS: String(HEARTBEAT_MS),
      WORKER_STALE_AFTER_MS: String(STALE_AFTER_MS),
      WORKER_POLL_INTERVAL_MS: '100',
      DRIFT_AFTER_UPLOAD: 'off',
      PGAPPNAME: APP, // node-postgres reads it for every connection of the child
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  children.push(child)
  const lines = createInterface({ input: child.stdout! })
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the worker exited (${code}) before it started`)))
    lines.on('line', (line) => {
      if (line.includes('"worker started"')) resolve()
    })
  })
  return child
}

const uploadOf = (id: number) => tenant.read(({ uploads }) => uploads.getById(id))
const claimsOf = async (id: number) =>
  (await sql<{ n: number }>`select count(*)::int as n from ${sql.id(upstream.schema, 'claim_records')} where upload_id = ${id}`.execute(upstream.db)).rows[0]!.n
/** The backend running the COPY of an upload's load, if any. */
const copyBackend = async (id: number) =>
  (
    await sql<{ pid: number }>`select pid from pg_stat_activity where datname = current_database() and application_name = ${APP} and query like ${`/* upstream ingest upload=${id} */ copy %`}`.execute(
      upstream.db,
    )
  ).rows[0]?.pid
const ingestJob = async (id: number) => (await queuedJobs(upstream, 'upstream.ingest_upload')).find((j) => j.payload.upload_id === id)

describe('a worker killed mid-ingestion (SIGKILL)', () => {
  it('leaves the upload processing and its job locked; another worker retries it once the heartbeat is stale, loading every row once', async () => {
    const child = await childWorker()
    const { id } = await enqueueUpload(tenant, { filename: 'killed.csv', body: csvStream(40_000) })
    await eventually(async () => ((await copyBackend(id)) !== undefined ? true : undefined), 'the child to be loading (COPY running)')
    const deadWorkers = (await sql<{ worker_id: string }>`select worker_id from ${sql.id(upstream.schema, 'job_workers')} where pid = ${child.pid!}`.execute(upstream.db)).rows.map(
      (r) => r.worker_id,
    )
    expect(deadWorkers).toHaveLength(1)
    child.kill('SIGKILL')
    await once(child, 'exit')

    // what the kill left: PostgreSQL rolled the load back; the job is still locked by the dead worker
    await eventually(async () => ((await copyBackend(id)) === undefined ? true : undefined), 'the dead load to be rolled back')
    expect(await uploadOf(id)).toMatchObject({ status: 'processing', row_count: null })
    expect(await claimsOf(id)).toBe(0)
    expect(await ingestJob(id)).toMatchObject({ attempts: 1, locked_by: deadWorkers[0] })

    const killedAt = Date.now()
    const worker = await inProcessWorker()
    const started: { attempts: number; at: number }[] = []
    worker.events.on('job:start', ({ job }) => started.push({ attempts: job.attempts, at: Date.now() }))
    const done = await eventually(async () => {
      const upload = await uploadOf(id)
      return upload.status === 'success' ? upload : undefined
    }, 'the retried upload to succeed', 60_000)
    expect(done.row_count).toBe(40_000)
    expect(await claimsOf(id)).toBe(40_000)
    expect(started).toHaveLength(1)
    expect(started[0]!.attempts).toBe(2) // the killed attempt counted
    expect(started[0]!.at - killedAt).toBeLessThan(20_000) // not graphile-worker's 4 hours
    await eventually(async () => ((await ingestJob(id)) === undefined ? true : undefined), 'the job to be completed')
    const left = await sql<{ n: number }>`select count(*)::int as n from ${sql.id(upstream.schema, 'job_workers')} where pid = ${child.pid!}`.execute(upstream.db)
    expect(left.rows[0]!.n).toBe(0) // the dead worker's heartbeat row is gone
  }, 120_000)
})

describe('graceful worker shutdown', () => {
  it('lets a running job finish', async () => {
    const worker = await inProcessWorker(20_000)
    const { id } = await enqueueUpload(tenant, { filename: 'finish.csv', body: csvStream(20_000) })
    await eventually(async () => ((await uploadOf(id)).status === 'processing' ? true : undefined), 'the load to start')
    await worker.stop()
    expect(await uploadOf(id)).toMatchObject({ status: 'success', row_count: 20_000 })
    expect(await ingestJob(id)).toBeUndefined()
  })

  it('releases a job that does not finish in time: rolled back, retried by the next worker', async () => {
    const worker = await inProcessWorker(300)
    // big enough that the load outlasts the 300 ms grace even on a quiet machine (60,000 rows
    // once finished inside it: the job succeeded before the stop could release it)
    const { id } = await enqueueUpload(tenant, { filename: 'released.csv', body: csvStream(200_000) })
    await eventually(async () => ((await copyBackend(id)) !== undefined ? true : undefined), 'the load to be copying')
    await worker.stop()
    expect(await uploadOf(id)).toMatchObject({ status: 'processing' })
    expect(await claimsOf(id)).toBe(0)
    const job = await ingestJob(id)
    expect(job).toMatchObject({ attempts: 1, locked_by: null })
    expect(job?.last_error).toMatch(/abort/i)

    await inProcessWorker() // graphile-worker's backoff: about e^1 s after the failure
    const done = await eventually(async () => {
      const upload = await uploadOf(id)
      return upload.status === 'success' ? upload : undefined
    }, 'the released upload to succeed', 90_000)
    expect(done.row_count).toBe(200_000)
    expect(await claimsOf(id)).toBe(200_000)
  }, 150_000)
})
