/**
 * Streaming CSV export of a whole list: time, the server process's peak RSS, and the row count
 * against the list's exact count; next to a hand-written baseline, PostgreSQL's own
 * `COPY (select ...) TO STDOUT WITH CSV HEADER` of the same rows, in the same run.
 *
 * `npm run bench -- export`: one tenant of the `bench` schema (100,000 claims).
 * `tsx bench/export.bench.ts [rows]`: a tenant of `rows` claims (default 1,000,000) in a schema
 * of its own (`EXPORT_SCHEMA`, default `bench_export`), seeded on first use.
 *
 * The server runs in a process of its own, once per runtime of `EXPORT_RUNTIMES` (default
 * `node,tsx`): `node` is plain node on the package built into `.tmp/bench-dist` (what an app
 * deploys; the RSS goal is measured there), `tsx` the sources under tsx (its loader and
 * source maps cost some 45 MiB more).
 */
import { execFileSync } from 'node:child_process'
import { resolve } from 'node:path'
import { Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { sql } from 'kysely'
import pg from 'pg'
import { to as copyTo } from 'pg-copy-streams'
import type { ClaimsDatabase } from '../src/claims/index.js'
import { claimsTenant, listClaims } from '../src/claims/index.js'
import { createDatabase } from '../src/db/create-database.js'
import { migrateToLatest } from '../src/db/migrate-to-latest.js'
import type { UpstreamDatabase } from '../src/db/upstream-database.js'
import { claimsMigrations } from '../src/claims/index.js'
import { createCustomer } from '../src/tenancy/create-customer.js'
import { measureExport, type ExportRuntime } from './export/measure-export.js'
import type { BenchContext } from './support/bench-context.js'
import { benchDatabaseUrl } from './support/ensure-bench-data.js'

async function exactCount(upstream: UpstreamDatabase<ClaimsDatabase>, customerId: number): Promise<number> {
  const page = await listClaims(claimsTenant(upstream, customerId), { page_size: '1' }, { url: 'http://bench/', count: { kind: 'exact' } })
  return (page as { count: number }).count
}

/** The baseline: PostgreSQL writes the same rows as CSV itself (COPY), read into a null sink. */
async function copyBaseline(url: string, schema: string, customerId: number): Promise<{ seconds: number; rows: number }> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const started = performance.now()
    let lines = 0
    const stream = client.query(
      copyTo(
        `copy (select id, upload_id, claim_number, payer_name, cpt_code, service_date, billed_amount, allowed_amount, paid_amount, status, denial_reason, created_at
           from ${schema}.claim_records where customer_id = ${Number(customerId)} order by service_date desc, id desc) to stdout with (format csv, header)`,
      ),
    )
    await pipeline(
      stream,
      new Writable({
        write(chunk: Buffer, _enc, done) {
          for (const b of chunk) if (b === 10) lines++
          done()
        },
      }),
    )
    return { seconds: (performance.now() - started) / 1000, rows: lines - 1 }
  } finally {
    await client.end()
  }
}

const RUNTIMES = (process.env.EXPORT_RUNTIMES || 'node,tsx').split(',').map((r) => r.trim()) as ExportRuntime[]
for (const r of RUNTIMES) if (r !== 'node' && r !== 'tsx') throw new Error(`EXPORT_RUNTIMES: unknown runtime ${r} (node, tsx)`)

/** Builds the package (JavaScript only) into .tmp/bench-dist for the plain-node server. */
function buildPackage(): string {
  const dir = resolve(import.meta.dirname, '..', '.tmp', 'bench-dist')
  execFileSync('npx', ['tsup'], {
    cwd: resolve(import.meta.dirname, '..'),
    env: { ...process.env, UPSTREAM_DIST_DIR: dir, UPSTREAM_DIST_DTS: '0' },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  return dir
}

async function run(upstream: UpstreamDatabase<ClaimsDatabase>, url: string, customerId: number, token: string): Promise<void> {
  const distDir = RUNTIMES.includes('node') ? buildPackage() : undefined
  const count = await exactCount(upstream, customerId)
  const baseline = await copyBaseline(url, upstream.schema, customerId)
  const line = (name: string, seconds: number, rows: number, extra = '') =>
    console.log(`${name.padEnd(40)} ${seconds.toFixed(2).padStart(8)} s ${String(rows).padStart(9)} rows ${(rows / seconds).toFixed(0).padStart(8)} rows/s  x${(seconds / baseline.seconds).toFixed(2)}${extra}`)
  console.log(`tenant ${customerId} of schema ${upstream.schema}: list count (exact) ${count}`)
  line('COPY ... TO STDOUT csv (baseline)', baseline.seconds, baseline.rows)
  for (const runtime of RUNTIMES) {
    const m = await measureExport({ schema: upstream.schema, token, runtime, distDir })
    line(`GET /claims/?format=csv (${runtime}, batch 1000)`, m.seconds, m.rows, `  ${(m.bytes / 1024 / 1024).toFixed(1)} MiB; server RSS idle ${m.idleRssMiB.toFixed(0)} MiB, peak ${m.peakRssMiB.toFixed(0)} MiB`)
    console.log(`rows == count (${runtime}): ${m.rows === count ? 'yes' : `NO (${m.rows} vs ${count})`}`)
    if (m.rows !== count) throw new Error(`export rows ${m.rows} != list count ${count}`)
  }
}

/** `npm run bench -- export`: the first tenant of the bench schema. */
export default async function exportBench(ctx: BenchContext): Promise<void> {
  const customer = ctx.customers[0]!
  await run(ctx.upstream, ctx.url, customer.customer_id, customer.read_token)
}

async function seedSchema(rows: number): Promise<{ upstream: UpstreamDatabase<ClaimsDatabase>; customerId: number; token: string }> {
  const schema = process.env.EXPORT_SCHEMA || 'bench_export'
  const upstream = await createDatabase<ClaimsDatabase>({ connectionString: benchDatabaseUrl(), schema })
  await migrateToLatest(upstream, { sets: [claimsMigrations] })
  let customer = await upstream.db.selectFrom('customers').select('id').orderBy('id').executeTakeFirst()
  if (!customer) customer = await createCustomer(upstream, 'export bench')
  const tenant = claimsTenant(upstream, customer.id)
  const have = Number((await sql<{ n: string }>`select count(*) as n from ${sql.id(schema, 'claim_records')} where customer_id = ${customer.id}`.execute(upstream.db)).rows[0]!.n)
  if (have !== rows) {
    console.log(`[export bench] seeding ${schema}: one customer x ${rows} claims ...`)
    const started = performance.now()
    await sql`delete from ${sql.id(schema, 'claim_records')}`.execute(upstream.db)
    const upload = await tenant.transaction(({ uploads }) => uploads.create({ filename: 'export-bench.csv', status: 'success', row_count: rows }))
    // the seed's kinds of values, with quotes, commas and non-ASCII now and then
    await sql`
      insert into ${sql.id(schema, 'claim_records')}
        (customer_id, upload_id, claim_number, payer_name, cpt_code, service_date, billed_amount, allowed_amount, paid_amount, status, denial_reason)
      select ${customer.id}, ${upload.id}, 'CLM-' || lpad(g::text, 8, '0'),
             (array['Aetna', 'Cigna', 'UnitedHealthcare', 'Humana', 'Blue Cross, "Blue" Shield', 'Kaiser Permanente', 'Allianz Größe'])[1 + g % 7],
             (array['99213', '99214', '99215', '80053', '85025'])[1 + g % 5],
             date '2024-01-01' + (g % 730), ((g * 37) % 500000) / 100.0 + 1, case when g % 3 = 0 then null else ((g * 13) % 400000) / 100.0 end,
             case when g % 4 = 1 then ((g * 11) % 300000) / 100.0 else null end,
             (array['submitted', 'paid', 'denied', 'adjusted'])[1 + g % 4], case when g % 4 = 2 then 'CO-45' else null end
      from generate_series(1, ${rows}) as g`.execute(upstream.db)
    await sql`analyze ${sql.id(schema, 'claim_records')}`.execute(upstream.db)
    console.log(`[export bench] seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`)
  }
  const token = await tenant.transaction(async ({ apiKeys }) => (await apiKeys.create({ scopes: ['read'], label: 'export bench' })).token)
  return { upstream, customerId: customer.id, token }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = Number(process.argv[2] ?? 1_000_000)
  const { upstream, customerId, token } = await seedSchema(rows)
  try {
    await run(upstream, benchDatabaseUrl(), customerId, token)
  } finally {
    await upstream.destroy()
  }
}
