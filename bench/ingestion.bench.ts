import type { ClaimsDatabase } from '../src/claims/index.js'
/**
 * Ingestion throughput of a 1,000,000-row claims CSV through `ingestUpload` (csv-parse,
 * zod, COPY into a TEMP staging table, one INSERT ... SELECT into `claim_records` under
 * row-level security), next to `psql -c "\copy ..."` of the same file straight into the
 * same table as the superuser (no validation, no staging, no RLS: the raw COPY rate), in
 * the same run. Goal: the service at least half the raw rate, and the ingesting process's
 * peak RSS under 200 MiB.
 *
 * Each timed run starts from an empty `claim_records` (TRUNCATE) in a schema of its own,
 * `bench_ingest` (`<BENCH_SCHEMA>_ingest` when `BENCH_SCHEMA` is set). The same run also copies
 * the file into `claim_records_pk_only`, a table of the same shape with its primary key and no
 * other index, constraint or trigger: the floor any index budget is measured against. The service runs in a child process (`bench/ingestion/ingest-child.ts`,
 * bundled to plain JavaScript with esbuild first, as an application would run it: under
 * tsx the TypeScript loader alone adds ~80 MiB of RSS) that reports its own time around
 * `ingestUpload` and its `process.resourceUsage().maxRSS`.
 * `INGEST_BENCH_ROWS` (default 1,000,000) and `INGEST_BENCH_RUNS` (default 3) change the size.
 */
import { execFile } from 'node:child_process'
import { createWriteStream, existsSync } from 'node:fs'
import { rename } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { sql } from 'kysely'
import type { BenchContext } from './support/bench-context.js'
import type { Measurement } from './support/measure.js'
import { createDatabase } from '../src/db/create-database.js'
import { migrateToLatest } from '../src/db/migrate-to-latest.js'
import { createCustomer } from '../src/tenancy/create-customer.js'
import { claimsMigrations, claimsTenant } from '../src/claims/index.js'
import { csvStream } from '../test/ingestion/csv-fixtures.js'

const run = promisify(execFile)
const here = dirname(fileURLToPath(import.meta.url))
/** `${BENCH_SCHEMA}_ingest` when `BENCH_SCHEMA` is set (so parallel benches never share a schema), else `bench_ingest`. */
const SCHEMA = process.env.BENCH_SCHEMA ? `${process.env.BENCH_SCHEMA}_ingest` : 'bench_ingest'
const ROWS = Number(process.env.INGEST_BENCH_ROWS ?? 1_000_000)
const RUNS = Number(process.env.INGEST_BENCH_RUNS ?? 3)
const PSQL = process.env.PSQL ?? '/usr/bin/psql'
const COLUMNS = 'claim_number, payer_name, cpt_code, service_date, billed_amount, allowed_amount, paid_amount, status, denial_reason'

function measurement(name: string, samples: number[]): Measurement {
  const sorted = [...samples].sort((a, b) => a - b)
  const at = (q: number) => {
    const pos = (sorted.length - 1) * q
    const lo = Math.floor(pos)
    const hi = Math.ceil(pos)
    return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (pos - lo)
  }
  return Object.freeze({ name, median: at(0.5), p95: at(0.95), min: sorted[0] as number, runs: samples.length, samples })
}

const median = (values: number[]) => measurement('', values).median

/** Bundles the child to one ESM file (dependencies included; PGlite left out: not on this path). */
async function bundleChild(): Promise<string> {
  const out = join(tmpdir(), 'upstream-bench-ingest-child.mjs')
  await run(join(here, '..', 'node_modules', '.bin', 'esbuild'), [
    join(here, 'ingestion', 'ingest-child.ts'),
    '--bundle',
    '--platform=node',
    '--format=esm',
    '--target=node20',
    '--external:pg-native',
    '--external:@electric-sql/pglite',
    '--external:kysely-pglite-dialect',
    '--banner:js=import { createRequire } from "node:module"; const require = createRequire(import.meta.url);',
    `--outfile=${out}`,
    '--log-level=warning',
  ])
  return out
}

async function ensureCsv(rows: number): Promise<string> {
  const file = join(tmpdir(), `upstream-bench-ingest-${rows}.csv`)
  if (!existsSync(file)) {
    console.log(`[ingestion bench] writing ${file} ...`)
    await pipeline(csvStream(rows), createWriteStream(`${file}.part`))
    await rename(`${file}.part`, file)
  }
  return file
}

export default async function ingestionBench(ctx: BenchContext): Promise<void> {
  const file = await ensureCsv(ROWS)
  const child = await bundleChild()
  const upstream = await createDatabase<ClaimsDatabase>({ connectionString: ctx.url, schema: SCHEMA })
  try {
    await migrateToLatest(upstream, { sets: [claimsMigrations] })
    const existing = await upstream.db.selectFrom('customers').select('id').where('name', '=', 'ingest-bench').executeTakeFirst()
    const customerId = existing?.id ?? (await createCustomer(upstream, 'ingest-bench')).id
    const tenant = claimsTenant(upstream, customerId)
    const claims = sql.id(SCHEMA, 'claim_records')
    const pkOnly = sql.id(SCHEMA, 'claim_records_pk_only')
    await sql`drop table if exists ${pkOnly}`.execute(upstream.db)
    await sql`
      create table ${pkOnly} (
        customer_id bigint not null default ${sql.lit(customerId)},
        id bigint generated always as identity,
        upload_id bigint not null default 0,
        claim_number text not null, payer_name text not null, cpt_code text not null,
        service_date date not null,
        billed_amount numeric(12,2) not null, allowed_amount numeric(12,2), paid_amount numeric(12,2),
        status text not null, denial_reason text,
        created_at timestamptz not null default now(),
        primary key (customer_id, id)
      )`.execute(upstream.db)
    const raw: number[] = []
    const floor: number[] = []
    const service: number[] = []
    const rss: number[] = []
    for (let i = 1; i <= RUNS; i++) {
      // Raw: psql \copy of the file straight into claim_records (superuser, no RLS), with the
      // tenant and upload columns filled by temporary defaults.
      await sql`truncate ${claims}`.execute(upstream.db)
      const upload = await tenant.transaction(({ uploads }) => uploads.create({ filename: 'raw.csv', status: 'success', row_count: ROWS }))
      await sql`alter table ${claims} alter column customer_id set default ${sql.lit(customerId)}, alter column upload_id set default ${sql.lit(upload.id)}`.execute(upstream.db)
      const t0 = performance.now()
      await run(PSQL, [ctx.url, '-v', 'ON_ERROR_STOP=1', '-c', `\\copy ${SCHEMA}.claim_records (${COLUMNS}) from '${file}' with (format csv, header true)`])
      raw.push(performance.now() - t0)
      await sql`alter table ${claims} alter column customer_id drop default, alter column upload_id drop default`.execute(upstream.db)

      // Floor: the same \copy into the primary-key-only table.
      await sql`truncate ${pkOnly}`.execute(upstream.db)
      const t1 = performance.now()
      await run(PSQL, [ctx.url, '-v', 'ON_ERROR_STOP=1', '-c', `\\copy ${SCHEMA}.claim_records_pk_only (${COLUMNS}) from '${file}' with (format csv, header true)`])
      floor.push(performance.now() - t1)
      await sql`truncate ${pkOnly}`.execute(upstream.db)

      // Service: ingestUpload in a child process.
      await sql`truncate ${claims}`.execute(upstream.db)
      const { stdout } = await run(process.execPath, [child, ctx.url, SCHEMA, String(customerId), file], {
        maxBuffer: 1 << 20,
      })
      const result = JSON.parse(stdout.trim().split('\n').at(-1) as string) as { ms: number; rows: number; maxRssMiB: number; status: string }
      if (result.status !== 'success' || result.rows !== ROWS) throw new Error(`ingestion bench: unexpected result ${stdout}`)
      service.push(result.ms)
      rss.push(result.maxRssMiB)
      console.log(
        `run ${i}/${RUNS}: psql \\copy ${(raw.at(-1)! / 1000).toFixed(1)} s, into the pk-only table ${(floor.at(-1)! / 1000).toFixed(1)} s, ingestUpload ${(result.ms / 1000).toFixed(1)} s, peak RSS ${result.maxRssMiB.toFixed(0)} MiB`,
      )
    }
    await sql`truncate ${claims}`.execute(upstream.db)
    await sql`drop table if exists ${pkOnly}`.execute(upstream.db)
    const floorM = measurement('psql \\copy into a pk-only table', floor)
    const rawM = measurement('psql \\copy (raw)', raw)
    const serviceM = measurement('ingestUpload', service)
    ctx.report([floorM, rawM, serviceM], floorM.name)
    const rate = (ms: number) => Math.round(ROWS / (ms / 1000))
    console.log(
      `rows/s (median of ${RUNS}): raw ${rate(rawM.median)}, service ${rate(serviceM.median)}, ` +
        `service/raw rate ${(rawM.median / serviceM.median).toFixed(2)}x (goal >= 0.50x); ` +
        `pk-only ${rate(floorM.median)}, service/pk-only rate ${(floorM.median / serviceM.median).toFixed(2)}x; ` +
        `goal ${ROWS.toLocaleString('en-US')} rows in ${(ROWS / 100_000).toFixed(0)} s or less (100,000 rows/s): ${serviceM.median <= ROWS / 100 ? 'met' : 'not met'}`,
    )
    console.log(`peak RSS of the ingesting process: median ${median(rss).toFixed(0)} MiB, max ${Math.max(...rss).toFixed(0)} MiB (goal < 200 MiB)`)
  } finally {
    await upstream.destroy()
  }
}
