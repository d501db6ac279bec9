/**
 * Asynchronous upload of a 1,000,000-row claims CSV (`Prefer: respond-async`), end to end:
 * the API and one worker each in a process of their own (bundled to plain JavaScript, as in
 * the ingestion bench), a client streaming the file over HTTP. Per run: the 202 latency (the
 * body streamed into `upload_bodies`, the upload and its job committed), the time from the
 * 202 to `success` (polling the upload's `Location` every 100 ms), and the peak RSS of the API
 * and of the worker. Baseline in the same run: the synchronous upload (201) of the same file
 * through the same API. Then once: the worker is killed (SIGKILL) mid-ingestion, and the bench
 * prints what became of the upload and its job, and how long until another worker loaded it.
 *
 * Schema `bench_async` of its own (claims migration 0009, the jobs set and the job queue `bench_async_jobs`);
 * `ASYNC_BENCH_ROWS` (default 1,000,000) and `ASYNC_BENCH_RUNS` (default 3) change the size;
 * `ASYNC_BENCH_STALE_AFTER_MS` (default 60,000, the worker's default) the crash recovery.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { createReadStream, createWriteStream, existsSync } from 'node:fs'
import { rename, stat } from 'node:fs/promises'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { pipeline } from 'node:stream/promises'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { sql } from 'kysely'
import type { BenchContext } from './support/bench-context.js'
import type { Measurement } from './support/measure.js'
import { claimsMigrations, claimsTenant, type ClaimsDatabase } from '../src/claims/index.js'
import { createDatabase, migrateToLatest } from '../src/db/index.js'
import { migrateJobQueue } from '../src/jobs/index.js'
import { createCustomer } from '../src/tenancy/index.js'
import { csvStream } from '../test/ingestion/csv-fixtures.js'

const run = promisify(execFile)
const here = dirname(fileURLToPath(import.meta.url))
const SCHEMA = 'bench_async'
const ROWS = Number(process.env.ASYNC_BENCH_ROWS ?? 1_000_000)
const RUNS = Number(process.env.ASYNC_BENCH_RUNS ?? 3)
const STALE_AFTER_MS = Number(process.env.ASYNC_BENCH_STALE_AFTER_MS ?? 60_000)

function measurement(name: string, samples: number[]): Measurement {
  const sorted = [...samples].sort((a, b) => a - b)
  const mid = (sorted.length - 1) / 2
  const median = ((sorted[Math.floor(mid)] as number) + (sorted[Math.ceil(mid)] as number)) / 2
  return Object.freeze({ name, median, p95: sorted.at(-1) as number, min: sorted[0] as number, runs: samples.length, samples })
}
const median = (values: number[]) => measurement('', values).median
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`

async function bundle(entry: string): Promise<string> {
  const out = join(tmpdir(), `upstream-bench-async-${entry.replace(/\W/g, '-')}.mjs`)
  await run(join(here, '..', 'node_modules', '.bin', 'esbuild'), [
    join(here, 'async-upload', entry),
    '--bundle',
    '--platform=node',
    '--format=esm',
    '--target=node20',
    '--external:pg-native',
    '--external:@electric-sql/pglite',
    '--external:kysely-pglite-dialect',
    '--banner:js=import { createRequire as __upstreamCreateRequire } from "node:module"; const require = __upstreamCreateRequire(import.meta.url);',
    `--outfile=${out}`,
    '--log-level=warning',
  ])
  return out
}

async function ensureCsv(rows: number): Promise<string> {
  const file = join(tmpdir(), `upstream-bench-ingest-${rows}.csv`) // shared with the ingestion bench
  if (!existsSync(file)) {
    await pipeline(csvStream(rows), createWriteStream(`${file}.part`))
    await rename(`${file}.part`, file)
  }
  return file
}

const children = new Set<ChildProcess>()

/** A bundled child that prints JSON lines; `next(key)` resolves with the first line that has `key`. */
function startChild(script: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, [script, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] })
  children.add(child)
  child.once('exit', () => children.delete(child))
  const lines: Record<string, unknown>[] = []
  const waiters: (() => void)[] = []
  child.once('exit', () => waiters.splice(0).forEach((w) => w()))
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (!line.startsWith('{')) return
    lines.push(JSON.parse(line) as Record<string, unknown>)
    waiters.splice(0).forEach((w) => w())
  })
  const next = async (key: string): Promise<Record<string, unknown>> => {
    for (;;) {
      const found = lines.find((l) => key in l)
      if (found) return found
      if (child.exitCode !== null) throw new Error(`child ${script} exited (${child.exitCode})`)
      await new Promise<void>((resolve) => waiters.push(resolve))
    }
  }
  const stop = async (): Promise<number> => {
    child.kill('SIGTERM')
    return Number((await next('maxRssMiB')).maxRssMiB)
  }
  return { child, next, stop }
}

function post(port: number, file: string, size: number, token: string, prefer?: string): Promise<{ status: number; ms: number; body: { id: number; status: string }; location?: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: `/api/v1/uploads/?filename=bench-${Date.now()}.csv`,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv', 'content-length': size, ...(prefer ? { prefer } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            ms: performance.now() - started,
            body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id: number; status: string },
            location: res.headers.location,
          }),
        )
      },
    )
    req.on('error', reject)
    createReadStream(file).pipe(req)
  })
}

export default async function asyncUploadBench(ctx: BenchContext): Promise<void> {
  const file = await ensureCsv(ROWS)
  const size = (await stat(file)).size
  const [apiScript, workerScript] = await Promise.all([bundle('api-child.ts'), bundle('worker-child.ts')])
  const upstream = await createDatabase<ClaimsDatabase>({ connectionString: ctx.url, schema: SCHEMA })
  const api = startChild(apiScript, [ctx.url, SCHEMA])
  try {
    await migrateToLatest(upstream, { sets: [claimsMigrations] })
    await migrateJobQueue(upstream)
    const existing = await upstream.db.selectFrom('customers').select('id').where('name', '=', 'async-bench').executeTakeFirst()
    const tenant = claimsTenant(upstream, existing?.id ?? (await createCustomer(upstream, 'async-bench')).id)
    const { token } = await tenant.transaction(({ apiKeys }) => apiKeys.create())
    const port = Number((await api.next('port')).port)
    const claims = sql.id(SCHEMA, 'claim_records')
    const status = (id: number) => tenant.read(({ uploads }) => uploads.getById(id))
    const job = async (uploadId: number) =>
      (
        await sql<{ attempts: number; locked_by: string | null; last_error: string | null }>`
          select j.attempts, j.locked_by, j.last_error from ${sql.id(`${SCHEMA}_jobs`, 'jobs')} j
          join ${sql.id(`${SCHEMA}_jobs`, '_private_jobs')} p on p.id = j.id
          where (p.payload->>'upload_id')::bigint = ${uploadId}`.execute(upstream.db)
      ).rows[0]
    const waitFor = async (id: number, want: string) => {
      for (;;) {
        const upload = await status(id)
        if (upload.status === want) return upload
        if (upload.status === 'failed') throw new Error(`upload ${id} failed: ${upload.error_message}`)
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    }
    console.log(`file: ${ROWS} rows, ${(size / 1024 / 1024).toFixed(1)} MiB`)

    const sync: number[] = []
    const accepted: number[] = []
    const toSuccess: number[] = []
    const workerRss: number[] = []
    for (let i = 1; i <= RUNS; i++) {
      await sql`truncate ${claims}`.execute(upstream.db)
      const direct = await post(port, file, size, token)
      if (direct.status !== 201) throw new Error(`sync upload answered ${direct.status}`)
      sync.push(direct.ms)

      await sql`truncate ${claims}`.execute(upstream.db)
      const worker = startChild(workerScript, [ctx.url, SCHEMA])
      await worker.next('ready')
      const answer = await post(port, file, size, token, 'respond-async')
      if (answer.status !== 202 || answer.body.status !== 'pending' || !answer.location) throw new Error(`async upload answered ${answer.status}`)
      const t0 = performance.now()
      const done = await waitFor(answer.body.id, 'success')
      toSuccess.push(performance.now() - t0)
      accepted.push(answer.ms)
      if (done.row_count !== ROWS) throw new Error(`row_count ${done.row_count}`)
      workerRss.push(await worker.stop())
      console.log(`run ${i}/${RUNS}: sync 201 ${s(direct.ms)}; async 202 ${s(answer.ms)}, then success ${s(toSuccess.at(-1)!)}; worker peak RSS ${workerRss.at(-1)!.toFixed(0)} MiB`)
    }
    ctx.report([measurement('sync upload (201)', sync), measurement('async: 202 accepted', accepted), measurement('async: 202 -> success', toSuccess)], 'sync upload (201)')
    console.log(`worker peak RSS: median ${median(workerRss).toFixed(0)} MiB, max ${Math.max(...workerRss).toFixed(0)} MiB`)

    // A worker killed mid-ingestion.
    await sql`truncate ${claims}`.execute(upstream.db)
    const env = { WORKER_STALE_AFTER_MS: String(STALE_AFTER_MS), WORKER_HEARTBEAT_MS: String(Math.min(10_000, Math.max(100, Math.floor(STALE_AFTER_MS / 6)))) }
    const doomed = startChild(workerScript, [ctx.url, SCHEMA], env)
    const doomedIds = (await doomed.next('ready')).workers as string[]
    const answer = await post(port, file, size, token, 'respond-async')
    await waitFor(answer.body.id, 'processing')
    await new Promise((resolve) => setTimeout(resolve, 3000)) // well into the COPY
    doomed.child.kill('SIGKILL')
    await once(doomed.child, 'exit')
    const killedAt = performance.now()
    await new Promise((resolve) => setTimeout(resolve, 500))
    const afterKill = await status(answer.body.id)
    const rowsAfterKill = (await sql<{ n: number }>`select count(*)::int as n from ${claims}`.execute(upstream.db)).rows[0]!.n
    const jobAfterKill = await job(answer.body.id)
    console.log(
      `killed the worker (${doomedIds.join(', ')}) 3 s into the load: upload ${afterKill.status}, ${rowsAfterKill} claim rows; ` +
        `job attempts ${jobAfterKill?.attempts}, locked by ${jobAfterKill?.locked_by === doomedIds[0] ? 'the dead worker' : jobAfterKill?.locked_by}`,
    )
    const rescuer = startChild(workerScript, [ctx.url, SCHEMA], env)
    await rescuer.next('ready')
    let retriedAt: number | undefined
    for (;;) {
      const j = await job(answer.body.id)
      if (!j || (j.attempts >= 2 && j.locked_by !== null)) {
        retriedAt = performance.now()
        break
      }
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    const done = await waitFor(answer.body.id, 'success')
    const finalRows = (await sql<{ n: number }>`select count(*)::int as n from ${claims}`.execute(upstream.db)).rows[0]!.n
    console.log(
      `retried by another worker ${s(retriedAt - killedAt)} after the kill (staleAfterMs ${STALE_AFTER_MS}); success ${s(performance.now() - killedAt)} after the kill; ` +
        `row_count ${done.row_count}, claim rows ${finalRows}; job ${(await job(answer.body.id)) ? 'still queued' : 'completed (deleted)'}`,
    )
    await rescuer.stop()
    await sql`truncate ${claims}`.execute(upstream.db)
  } finally {
    console.log(`API peak RSS: ${(await api.stop().catch(() => Number.NaN)).toFixed(0)} MiB`)
    for (const child of children) child.kill('SIGKILL') // never leave a worker behind (it would hold the bench lock)
    await upstream.destroy()
  }
}
