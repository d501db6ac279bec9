import { setTimeout as sleep } from 'node:timers/promises'
import { sql } from 'kysely'
import type { JobHelpers } from 'graphile-worker'
import { Redis } from 'ioredis'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  CLAIMS_JOB_NAMES,
  claimsJobTasks,
  claimsMigrations,
  claimsTenant,
  createClaimsHttpHandler,
  createDatabase,
  createRedisLsnStore,
  listUploads,
  type CountCache,
  migrateJobQueue,
  migrateToLatest,
  poolStats,
  resolveApiKey,
  type ClaimsDatabase,
  type HttpHandler,
  type ReplicaSkip,
  type UpstreamDatabase,
} from '../support/upstream.js'
import { callHandler } from '../http/call-handler.js'
import { createHttpFixture, type FixtureTenant } from '../http/http-fixture.js'
import { HEADER, validRow } from '../ingestion/csv-fixtures.js'
import { startOwnPostgres, type OwnPostgres } from '../support/own-postgres.js'
import { queuedJobs } from '../jobs/support/queue.js'
import { applicationDatabaseOptions, readDeploymentConfig } from '../../examples/shared/deployment-config.js'
import { openWorkerDatabase } from '../../examples/worker/open-worker-database.js'

// A real streaming replica (pg_basebackup -R of a cluster this test starts, hot standby).
// Every trial writes on the primary, then reads at once: "before" reads the replica directly
// (what an app wiring a second createDatabase by hand gets), "after" goes through
// createDatabase({ replicas }) and must see every write (read-your-writes).

const TRIALS = Number(process.env.REPLICA_TRIALS ?? 200)
const quiet = { error: () => undefined, warn: () => undefined }

let primary: OwnPostgres
let standby: OwnPostgres
let plainPrimary: UpstreamDatabase<ClaimsDatabase>
let plainStandby: UpstreamDatabase<ClaimsDatabase>
let routed: UpstreamDatabase<ClaimsDatabase>
let a: FixtureTenant
let redis: Redis
const skips: ReplicaSkip[] = []
const figures: string[] = []

beforeAll(async () => {
  // synchronous_commit on by default (the harness turns it off): an acknowledged write is flushed, so it
  // streams at once. REPLICA_SYNCHRONOUS_COMMIT=off measures the harness's setting (WAL flushed by the walwriter).
  primary = await startOwnPostgres({ synchronous_commit: process.env.REPLICA_SYNCHRONOUS_COMMIT ?? 'on' })
  plainPrimary = await createDatabase<ClaimsDatabase>({ connectionString: primary.url })
  await migrateToLatest(plainPrimary, { sets: [claimsMigrations] })
  ;({ a } = await createHttpFixture(plainPrimary, 'replicas'))
  standby = await primary.standby()
  plainStandby = await createDatabase<ClaimsDatabase>({ connectionString: standby.url })
  routed = await createDatabase<ClaimsDatabase>({ connectionString: primary.url, replicas: [standby.url], replicaRouting: { onReplicaSkipped: (s) => skips.push(s) } })
  for (let i = 0; i < 200; i++) {
    const seen = await claimsTenant(plainStandby, a.customerId).read(({ db }) => db.selectFrom('uploads').select('id').execute()).catch(() => [])
    if (seen.length > 0) break
    await sleep(50)
  }
  redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false })
  redis.on('error', () => undefined)
  await redis.connect()
}, 180_000)

afterAll(async () => {
  console.log(`read-your-writes trials (${TRIALS} each, synchronous_commit=${process.env.REPLICA_SYNCHRONOUS_COMMIT ?? 'on'}):\n${figures.join('\n')}`)
  await redis?.quit().catch(() => undefined)
  await routed?.destroy()
  await plainStandby?.destroy()
  await plainPrimary?.destroy()
  await standby?.destroy()
  await primary?.destroy()
})

type Trial = (writer: UpstreamDatabase<ClaimsDatabase>, reader: UpstreamDatabase<ClaimsDatabase>, handle: HttpHandler, i: number) => Promise<boolean>

// a new upload row, then GET /uploads/{id}/
const newUpload: Trial = async (writer, _reader, handle, i) => {
  const upload = await claimsTenant(writer, a.customerId).transaction(({ uploads }) => uploads.create({ filename: `t${i}.csv` }))
  return (await callHandler(handle, { path: `/api/v1/uploads/${upload.id}/`, token: a.token })).status === 200
}

// a new API key, then a request with it (the key lookup, then a list read)
const newApiKey: Trial = async (writer, _reader, handle) => {
  const { token } = await claimsTenant(writer, a.customerId).transaction(({ apiKeys }) => apiKeys.create({ scopes: ['read'], label: 'trial' }))
  return (await callHandler(handle, { path: '/api/v1/uploads/?page_size=1', token })).status === 200
}

// a synchronous upload (COPY on a pinned connection), then GET /uploads/{id}/: success with its rows
const finishedIngestion: Trial = async (writer, _reader, handle, i) => {
  const write = createClaimsHttpHandler({ upstream: writer, logger: quiet })
  const body = `${HEADER}\n${validRow(1, `I${i}-`)}\n${validRow(2, `I${i}-`)}\n`
  const posted = await callHandler(write, { method: 'POST', path: `/api/v1/uploads/?filename=i${i}.csv`, token: a.token, headers: { 'content-type': 'text/csv' }, body })
  if (posted.status !== 201) throw new Error(`upload answered ${posted.status}: ${JSON.stringify(posted.json)}`)
  const id = (posted.json as { id: number }).id
  const read = await callHandler(handle, { path: `/api/v1/uploads/${id}/`, token: a.token })
  const upload = read.json as { status?: string; row_count?: number }
  return read.status === 200 && upload.status === 'success' && upload.row_count === 2
}

async function trials(kind: string, trial: Trial, writer: UpstreamDatabase<ClaimsDatabase>, reader: UpstreamDatabase<ClaimsDatabase>): Promise<number> {
  const handle = createClaimsHttpHandler({ upstream: reader, logger: quiet })
  let seen = 0
  for (let i = 0; i < TRIALS; i++) if (await trial(writer, reader, handle, i)) seen++
  figures.push(`  ${kind}: ${seen}/${TRIALS}`)
  return seen
}

describe('read-your-writes through a streaming replica', () => {
  it.each([
    ['a new upload', newUpload],
    ['a new API key', newApiKey],
    ['a finished ingestion', finishedIngestion],
  ] as const)('%s: seen every time through createDatabase({ replicas }), measured against a plain replica read', async (kind, trial) => {
    const readsBefore = poolStats(routed)!.reads!
    await trials(`${kind}, before (plain replica read)`, trial, plainPrimary, plainStandby)
    const seen = await trials(`${kind}, after (routed)`, trial, routed, routed)
    expect(seen).toBe(TRIALS)
    const reads = poolStats(routed)!.reads!
    figures.push(`    routed reads in these trials: replica ${reads.replica - readsBefore.replica}, primary ${reads.primary - readsBefore.primary}`)
  }, 300_000)

  it('across processes with Redis: a write acknowledged by one instance is seen by another', async () => {
    const prefix = `test:lsn:${Date.now()}:`
    const open = () =>
      createDatabase<ClaimsDatabase>({ connectionString: primary.url, replicas: [standby.url], replicaRouting: { lsnStore: createRedisLsnStore(redis, { prefix }) } })
    const [one, two] = [await open(), await open()]
    const alone = await createDatabase<ClaimsDatabase>({ connectionString: primary.url, replicas: [standby.url] })
    try {
      const seenWithout = await trials('a new upload, instance A writes, instance B reads, no Redis', newUpload, one, alone)
      const seen = await trials('a new upload, instance A writes, instance B reads, Redis LSN store', newUpload, one, two)
      expect(seen).toBe(TRIALS)
      expect(seenWithout).toBeLessThanOrEqual(TRIALS)
      expect(await redis.get(`${prefix}${one.schema}:${a.customerId}`)).toMatch(/^\d+$/)
    } finally {
      await Promise.all([one.destroy(), two.destroy(), alone.destroy()])
    }
  }, 300_000)

  it('API-key lookups go to the primary: a key created a moment ago is found', async () => {
    for (let i = 0; i < 50; i++) {
      const { token } = await claimsTenant(routed, a.customerId).transaction(({ apiKeys }) => apiKeys.create({ scopes: ['read'], label: 'lookup' }))
      expect(await resolveApiKey(routed, token)).toMatchObject({ customerId: a.customerId })
    }
  })
})

describe('count cache', () => {
  it('keys name the database that answered (replica or primary)', async () => {
    const keys: string[] = []
    const spy: CountCache = { get: (key) => void keys.push(key), set: () => undefined }
    // A handle of its own: the shared one may have left the replica out for its cooldown after a
    // trial above found it behind (250 ms is short on a loaded CI machine), and this test is about the
    // key, not about lag. The long wait lets the replica replay whatever it must first.
    const mine: ReplicaSkip[] = []
    const onReplica = await createDatabase<ClaimsDatabase>({
      connectionString: primary.url,
      replicas: [standby.url],
      replicaRouting: { maxWaitMs: 60_000, onReplicaSkipped: (skip) => mine.push(skip) },
    })
    try {
      await listUploads(claimsTenant(onReplica, a.customerId), new URLSearchParams(), { url: 'http://api.test/api/v1/uploads/', countCache: spy })
      expect(mine).toEqual([])
      expect(poolStats(onReplica)!.reads).toMatchObject({ replica: 1, primary: 0 })
    } finally {
      await onReplica.destroy()
    }
    expect(keys.at(-1)).toMatch(new RegExp(`^127\\.0\\.0\\.1:${standby.port}/postgres\\|`))
    // on one database alone (no replicas) the keys are as before
    await listUploads(claimsTenant(plainPrimary, a.customerId), new URLSearchParams(), { url: 'http://api.test/api/v1/uploads/', countCache: spy })
    expect(keys.at(-1)).not.toContain('|')
  })
})

describe('a lagging replica', () => {
  it('is skipped once it cannot replay a tenant write within maxWaitMs (replay paused), with a typed skip', async () => {
    const mine: ReplicaSkip[] = []
    const lagging = await createDatabase<ClaimsDatabase>({
      connectionString: primary.url,
      replicas: [standby.url],
      replicaRouting: { maxWaitMs: 100, cooldownMs: 60_000, onReplicaSkipped: (skip) => mine.push(skip) },
    })
    const { default: pg } = await import('pg')
    const admin = new pg.Client({ connectionString: standby.url })
    await admin.connect()
    try {
      await admin.query('select pg_wal_replay_pause()')
      const upload = await claimsTenant(lagging, a.customerId).transaction(({ uploads }) => uploads.create({ filename: 'lag.csv' }))
      const t0 = Date.now()
      const seen = await claimsTenant(lagging, a.customerId).read(({ uploads }) => uploads.getById(upload.id))
      expect(seen.id).toBe(upload.id)
      expect(Date.now() - t0).toBeLessThan(2000)
      expect(mine).toHaveLength(1)
      expect(mine[0]).toMatchObject({ reason: 'behind', replica: `127.0.0.1:${standby.port}/postgres` })
      expect(mine[0]!.requiredLsn).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/)
      // left out for the cooldown: the next read goes straight to the primary, no wait
      await claimsTenant(lagging, 1).read(({ db }) => db.selectFrom('uploads').select('id').execute())
      expect(poolStats(lagging)!.reads).toMatchObject({ replica: 0, primary: 2, skippedBehind: 1 })
    } finally {
      await admin.query('select pg_wal_replay_resume()').catch(() => undefined)
      await admin.end()
      await lagging.destroy()
    }
  })
})

describe('a finished ingestion by the worker (another process), read by a server through the replica', () => {
  // Each trial: the server accepts an async upload (202, `pending`); the replica replays it and
  // is paused; the worker (its own createDatabase, so its own in-process positions) loads the
  // upload through the claims job task; the server reads the upload while the replica is
  // still paused, and the replica resumes once that read answered (or after 100 ms). A read
  // that knows the worker's commit position waits for the replay and sees `success`; one that
  // does not is answered at once by the paused replica: `pending`. No timing luck either way.
  const WORKER_TRIALS = Number(process.env.REPLICA_WORKER_TRIALS ?? 100)

  it('is seen (`success`) every time once the worker records its writes in the Redis LSN store (examples/worker), and not without', async () => {
    await migrateJobQueue(plainPrimary)
    const prefix = `test:worker-lsn:${Date.now()}:`
    const env = { DATABASE_URL: primary.url, DATABASE_REPLICA_URLS: standby.url, REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', UPSTREAM_REDIS_PREFIX: prefix }
    const deployment = readDeploymentConfig(env)
    // the server: replicas and the Redis store, as replicasFromEnv makes them; a long maxWaitMs, so it waits for the replay rather than skipping
    const api = await createDatabase<ClaimsDatabase>({
      connectionString: primary.url,
      replicas: [standby.url],
      replicaRouting: { maxWaitMs: 10_000, lsnStore: createRedisLsnStore(redis, { prefix: `${prefix}lsn:` }) },
    })
    const handle = createClaimsHttpHandler({ upstream: api, jobs: {}, logger: quiet })
    const admin = new pg.Client({ connectionString: standby.url })
    await admin.connect()
    const helpers = { job: { attempts: 1, max_attempts: 25 }, logger: { info: () => undefined } } as unknown as JobHelpers
    const run = async (worker: UpstreamDatabase<ClaimsDatabase>): Promise<{ seen: number; onReplica: number }> => {
      const ingest = claimsJobTasks(worker, { driftDelayMs: 3_600_000 })[CLAIMS_JOB_NAMES.ingestUpload]!
      let seen = 0
      let onReplica = 0
      for (let i = 0; i < WORKER_TRIALS; i++) {
        const body = `${HEADER}\n${validRow(1, `W${i}-`)}\n${validRow(2, `W${i}-`)}\n`
        const posted = await callHandler(handle, { method: 'POST', path: `/api/v1/uploads/?filename=w${i}.csv`, token: a.token, headers: { 'content-type': 'text/csv', prefer: 'respond-async' }, body })
        if (posted.status !== 202) throw new Error(`async upload answered ${posted.status}: ${JSON.stringify(posted.json)}`)
        const id = (posted.json as { id: number }).id
        // the replica has replayed the accepted upload, then stops replaying
        const { rows } = await sql<{ lsn: string }>`select pg_current_wal_insert_lsn()::text as lsn`.execute(plainPrimary.db)
        while (!(await admin.query('select pg_last_wal_replay_lsn() >= $1::pg_lsn as ok', [rows[0]!.lsn])).rows[0].ok) await sleep(2)
        await admin.query('select pg_wal_replay_pause()')
        while ((await admin.query('select pg_get_wal_replay_pause_state() as s')).rows[0].s !== 'paused') await sleep(2)
        try {
          const job = (await queuedJobs(plainPrimary, CLAIMS_JOB_NAMES.ingestUpload)).find((j) => j.payload.upload_id === id)
          if (!job) throw new Error(`no ingest job for upload ${id}`)
          await ingest(job.payload, helpers) // what the worker runs for this job
          const before = poolStats(api)!.reads!.replica
          const reading = callHandler(handle, { path: `/api/v1/uploads/${id}/`, token: a.token })
          await Promise.race([reading.then(() => undefined, () => undefined), sleep(100)])
          await admin.query('select pg_wal_replay_resume()')
          const read = await reading
          const upload = read.json as { status?: string; row_count?: number }
          if (read.status === 200 && upload.status === 'success' && upload.row_count === 2) seen++
          if (poolStats(api)!.reads!.replica > before) onReplica++
        } finally {
          await admin.query('select pg_wal_replay_resume()')
        }
      }
      return { seen, onReplica }
    }
    // before: the worker's database as examples/worker opened it until now (replicas, no LSN store)
    const unrecorded = await createDatabase<ClaimsDatabase>(applicationDatabaseOptions(deployment, 3))
    // after: as it opens it now (the servers' replica routing, with the Redis LSN store)
    const recorded = await openWorkerDatabase(deployment, env, undefined, 3)
    try {
      const without = await run(unrecorded)
      figures.push(`  a finished ingestion by the worker, before (worker without the LSN store): ${without.seen}/${WORKER_TRIALS} seen, reads on the replica ${without.onReplica}`)
      const withStore = await run(recorded.upstream)
      figures.push(`  a finished ingestion by the worker, after (openWorkerDatabase): ${withStore.seen}/${WORKER_TRIALS} seen, reads on the replica ${withStore.onReplica}`)
      expect(without.seen).toBeLessThan(WORKER_TRIALS)
      expect(withStore.seen).toBe(WORKER_TRIALS)
      expect(withStore.onReplica).toBeGreaterThan(0)
      expect(await redis.get(`${prefix}lsn:${api.schema}:${a.customerId}`)).toMatch(/^\d+$/)
    } finally {
      await admin.query('select pg_wal_replay_resume()').catch(() => undefined)
      await admin.end()
      await Promise.all([unrecorded.destroy(), recorded.close(), api.destroy()])
    }
  }, 300_000)
})

describe('offload', () => {
  it('under a steady read load (with some writes), most reads are served by the replica', async () => {
    const handle = createClaimsHttpHandler({ upstream: routed, logger: quiet })
    const before = poolStats(routed)!.reads!
    const started = Date.now()
    let reads = 0
    await Promise.all(
      Array.from({ length: 8 }, async (_, worker) => {
        for (let i = 0; i < 100; i++) {
          if (worker === 0 && i % 10 === 0) await claimsTenant(routed, a.customerId).transaction(({ uploads }) => uploads.create({ filename: `load${i}.csv` }))
          const path = i % 2 === 0 ? '/api/v1/uploads/?page_size=5' : `/api/v1/uploads/${a.upload.id}/`
          expect((await callHandler(handle, { path, token: a.token })).status).toBe(200)
          reads++
        }
      }),
    )
    const after = poolStats(routed)!.reads!
    const replica = after.replica - before.replica
    const onPrimary = after.primary - before.primary
    const share = replica / (replica + onPrimary)
    figures.push(`  offload: ${reads} HTTP reads in ${Date.now() - started} ms (8 concurrent, a write every 10th read of one worker): replica ${replica}, primary ${onPrimary}, replica share ${(share * 100).toFixed(1)}%`)
    expect(share).toBeGreaterThan(0.8)
    expect(poolStats(routed)!.replicas).toHaveProperty([`127.0.0.1:${standby.port}/postgres`])
  }, 120_000)
})

describe('fallback', () => {
  it('with the replica stopped, reads are answered by the primary within a bounded time, then the replica serves again', async () => {
    const handle = createClaimsHttpHandler({ upstream: routed, logger: quiet })
    await standby.stop()
    try {
      const before = poolStats(routed)!.reads!
      let slowest = 0
      for (let i = 0; i < 20; i++) {
        const t0 = Date.now()
        const list = await callHandler(handle, { path: '/api/v1/uploads/?page_size=5', token: a.token })
        slowest = Math.max(slowest, Date.now() - t0)
        expect(list.status).toBe(200)
      }
      const after = poolStats(routed)!.reads!
      // each GET is two tenant reads: its ETag's data version, then the page
      expect(after.primary - before.primary).toBe(40)
      expect(after.skippedDown - before.skippedDown).toBeGreaterThanOrEqual(1)
      expect(skips.some((s) => s.reason === 'down' && s.replica === `127.0.0.1:${standby.port}/postgres`)).toBe(true)
      expect(slowest).toBeLessThan(3000)
      figures.push(`  fallback: replica stopped, 20/20 reads answered by the primary, slowest ${slowest} ms`)
    } finally {
      await standby.start()
    }
    // after the cooldown (5 s) the replica is asked again
    await sleep(5200)
    const before = poolStats(routed)!.reads!
    for (let i = 0; i < 10; i++) expect((await callHandler(handle, { path: '/api/v1/uploads/?page_size=5', token: a.token })).status).toBe(200)
    expect(poolStats(routed)!.reads!.replica - before.replica).toBeGreaterThan(5)
  }, 120_000)
})
