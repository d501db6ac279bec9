/**
 * Drift detection over 1,000,000 claims of one tenant, next to the single hand-written
 * aggregate statement it needs (goal: within 1.5x), and its time at 100,000 claims.
 *
 * The two tenants live in a schema of their own, `bench_drift` (the shared `bench` schema is
 * re-seeded by ensureBenchData whenever it holds other than its 10 customers). They are
 * created once with one bulk `INSERT ... SELECT generate_series` each, inside a tenant
 * transaction, then vacuumed and analyzed; later runs reuse them.
 *
 * `detectDrift` runs with `force: true`, so every timed run recomputes and replaces the
 * report: advisory lock, lookup, the aggregate, statistics, delete + insert of report and
 * events, commit, all under row-level security.
 */
import { sql, type Kysely } from 'kysely'
import type { BenchContext } from './support/bench-context.js'
import type { Measurement } from './support/measure.js'
import { createDatabase } from '../src/db/create-database.js'
import { migrateToLatest } from '../src/db/migrate-to-latest.js'
import type { ClaimsDatabase } from '../src/claims/core/database.js'
import type { UpstreamDatabase } from '../src/db/upstream-database.js'
import { createCustomer } from '../src/tenancy/create-customer.js'
import { claimsMigrations, claimsTenant } from '../src/claims/index.js'
import { detectDrift } from '../src/claims/drift/detect-drift.js'

const SCHEMA = 'bench_drift'
const AS_OF = '2026-06-01'
const TENANTS = [
  { name: 'drift-100k', claims: 100_000 },
  { name: 'drift-1m', claims: 1_000_000 },
] as const

/** The hand-written statement: what a person would write for the report's figures. */
function handWritten(db: Kysely<ClaimsDatabase>, customerId: number, byCpt: boolean) {
  const cpt = byCpt ? sql`cpt_code` : sql`null::text`
  const group = byCpt ? sql`payer_name, cpt_code` : sql`payer_name`
  return sql`
    select payer_name, ${cpt} as cpt_code,
      count(*) filter (where service_date < '2026-05-02') as b_n,
      count(*) filter (where service_date < '2026-05-02' and status = 'denied') as b_denied,
      count(r) filter (where service_date < '2026-05-02') as b_ratio_n,
      avg(r) filter (where service_date < '2026-05-02') as b_ratio_mean,
      var_samp(r) filter (where service_date < '2026-05-02') as b_ratio_var,
      count(*) filter (where service_date >= '2026-05-02') as c_n,
      count(*) filter (where service_date >= '2026-05-02' and status = 'denied') as c_denied,
      count(r) filter (where service_date >= '2026-05-02') as c_ratio_n,
      avg(r) filter (where service_date >= '2026-05-02') as c_ratio_mean,
      var_samp(r) filter (where service_date >= '2026-05-02') as c_ratio_var
    from (
      select payer_name, cpt_code, service_date, status,
        case when status <> 'denied' and billed_amount > 0 then paid_amount::float8 / billed_amount::float8 end as r
      from ${sql.id(SCHEMA, 'claim_records')}
      where customer_id = ${customerId} and service_date >= '2026-02-01' and service_date < '2026-06-01'
        and status in ('paid', 'denied', 'adjusted')
    ) c
    group by ${group}`.execute(db)
}

async function ensureTenant(upstream: UpstreamDatabase<ClaimsDatabase>, name: string, claims: number): Promise<number> {
  const existing = await upstream.db.selectFrom('customers').select('id').where('name', '=', name).executeTakeFirst()
  if (existing) {
    const { n } = await claimsTenant(upstream, existing.id).read(({ db }) =>
      db.selectFrom('claim_records').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
    )
    if (n === claims) return existing.id
    await upstream.db.deleteFrom('customers').where('id', '=', existing.id).execute()
  }
  console.log(`[drift bench] creating tenant ${name} with ${claims} claims ...`)
  const started = performance.now()
  const customer = await createCustomer(upstream, name)
  await claimsTenant(upstream, customer.id).transaction(async ({ db, uploads, customerId }) => {
    const upload = await uploads.create({ filename: `${name}.csv`, status: 'success', row_count: claims })
    // ~75% baseline (90 days), ~25% current (30 days); 10 payers x 20 CPT codes at random; payer P3's denial rate drifts 10% -> 30%.
    await sql`
      insert into ${sql.id(SCHEMA, 'claim_records')}
        (customer_id, upload_id, claim_number, payer_name, cpt_code, service_date, billed_amount, allowed_amount, paid_amount, status)
      select ${customerId}, ${upload.id}, 'C' || i, 'P' || payer, (99200 + cpt)::text,
        case when cur then date '2026-05-02' + (i % 30) else date '2026-02-01' + (i % 90) end,
        billed, billed, case when st = 'denied' then null else round(billed * (0.6 + 0.3 * random())::numeric, 2) end, st
      from (
        select i, cur, payer, cpt, round((50 + 450 * random())::numeric, 2) as billed,
          case when random() < 0.05 then 'submitted'
               when random() < (case when cur and payer = 3 then 0.3 else 0.1 end) then 'denied'
               when random() < 0.1 then 'adjusted' else 'paid' end as st
        from (select i, random() < 0.25 as cur, floor(random() * 10)::int as payer, floor(random() * 20)::int as cpt
              from generate_series(1, ${claims}) i) g
      ) x`.execute(db)
  }, { statementTimeoutMs: 600_000 })
  await sql`vacuum analyze ${sql.id(SCHEMA, 'claim_records')}`.execute(upstream.db)
  console.log(`[drift bench] ${name} created in ${((performance.now() - started) / 1000).toFixed(1)} s`)
  return customer.id
}

/** Runs the functions in turn, `runs` rounds after `warmup` untimed rounds, so load changes hit all alike. */
async function interleaved(named: ReadonlyArray<readonly [string, () => Promise<unknown>]>, runs: number, warmup: number): Promise<Measurement[]> {
  const samples = named.map(() => [] as number[])
  for (let round = -warmup; round < runs; round++) {
    for (const [i, [, fn]] of named.entries()) {
      const start = performance.now()
      await fn()
      if (round >= 0) samples[i]!.push(performance.now() - start)
    }
  }
  return named.map(([name], i) => {
    const sorted = [...samples[i]!].sort((a, b) => a - b)
    const q = (f: number) => sorted[Math.min(sorted.length - 1, Math.round((sorted.length - 1) * f))]!
    return { name, median: q(0.5), p95: q(0.95), min: sorted[0]!, runs, samples: samples[i]! }
  })
}

export default async function driftBench(ctx: BenchContext): Promise<void> {
  const upstream = await createDatabase<ClaimsDatabase>({ connectionString: ctx.url, schema: SCHEMA, pool: { max: 4 } })
  try {
    await migrateToLatest(upstream, { sets: [claimsMigrations] })
    const runs = Number(process.env.DRIFT_BENCH_RUNS ?? 9)
    const ids: Record<string, number> = {}
    for (const t of TENANTS) ids[t.name] = await ensureTenant(upstream, t.name, t.claims)
    const medians: Record<string, number> = {}
    for (const groupBy of ['payer', 'payer_cpt'] as const) {
      for (const t of TENANTS) {
        const id = ids[t.name]!
        const tenant = claimsTenant(upstream, id)
        const byCpt = groupBy === 'payer_cpt'
        const rows = await interleaved(
          [
            [`${t.name} ${groupBy}: hand-written SQL, bare`, () => handWritten(upstream.db, id, byCpt)],
            [`${t.name} ${groupBy}: hand-written SQL in claimsTenant.read (RLS)`, () => tenant.read(({ db }) => handWritten(db, id, byCpt))],
            [`${t.name} ${groupBy}: detectDrift (force)`, () => detectDrift(tenant, { as_of: AS_OF, group_by: groupBy, force: true })],
          ],
          runs,
          2,
        )
        ctx.report(rows, rows[0]!.name)
        medians[`${t.name} ${groupBy}`] = rows[2]!.median
        const last = await detectDrift(tenant, { as_of: AS_OF, group_by: groupBy })
        console.log(`  report: groups_tested ${last.report.groups_tested}, events ${last.report.events_count}, duration_ms (aggregate + statistics) ${last.report.duration_ms.toFixed(1)}`)
      }
      const small = medians[`drift-100k ${groupBy}`]!
      const large = medians[`drift-1m ${groupBy}`]!
      console.log(`detectDrift ${groupBy}: 100k ${small.toFixed(1)} ms, 1M ${large.toFixed(1)} ms, ratio ${(large / small).toFixed(2)}x for 10x the claims`)
    }
  } finally {
    await upstream.destroy()
  }
}
