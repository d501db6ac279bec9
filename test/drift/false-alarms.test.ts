import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { analyzeDrift, detectDrift, claimsTenant, type DriftGroupStats, type DriftWindowStats } from '../support/upstream.js'
import { createTestDatabase, type TestDatabase } from '../support/test-database.js'

const ALPHA = 0.05
/** Allowed share of runs with any event: alpha plus three binomial standard errors. */
const limit = (runs: number) => ALPHA + 3 * Math.sqrt((ALPHA * (1 - ALPHA)) / runs)

describe('false alarms of the statistical core on simulated aggregates (no drift)', () => {
  // mulberry32: a small seeded PRNG, so the simulation is the same on every run
  function prng(seed: number): () => number {
    let a = seed >>> 0
    return () => {
      a = (a + 0x6d2b79f5) >>> 0
      let t = a
      t = Math.imul(t ^ (t >>> 15), t | 1)
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296
    }
  }
  const random = prng(20261126)
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())

  function window(n: number, denialRate: number, ratioMean: number): DriftWindowStats {
    let denied = 0
    let sum = 0
    let sumSq = 0
    let k = 0
    for (let i = 0; i < n; i++) {
      if (random() < denialRate) {
        denied++
        continue
      }
      const r = Math.max(0, ratioMean + 0.12 * normal())
      sum += r
      sumSq += r * r
      k++
    }
    const mean = k > 0 ? sum / k : null
    const variance = k > 1 ? (sumSq - (sum * sum) / k) / (k - 1) : null
    return { adjudicated: n, denied, ratio_n: k, ratio_mean: mean, ratio_variance: variance }
  }

  /** One tenant: 5 payers with random sizes and rates; `shift` moves the first payer's current denial rate. */
  function tenantRun(shift = 0): DriftGroupStats[] {
    return ['A', 'B', 'C', 'D', 'E'].map((payer, i) => {
      const rate = 0.05 + 0.25 * random()
      const ratio = 0.6 + 0.3 * random()
      const nb = 60 + Math.floor(600 * random())
      const nc = 30 + Math.floor(200 * random())
      return { payer_name: payer, cpt_code: null, baseline: window(nb, rate, ratio), current: window(nc, rate + (i === 0 ? shift : 0), ratio) }
    })
  }

  it('2,000 simulated no-drift tenants: share of runs with any event stays near or below alpha', () => {
    const RUNS = 2000
    let withEvent = 0
    let tests = 0
    for (let run = 0; run < RUNS; run++) {
      const analysis = analyzeDrift(tenantRun(), { min_claims: 30, alpha: ALPHA })
      tests += analysis.tests.length
      if (analysis.events.length > 0) withEvent++
    }
    const share = withEvent / RUNS
    console.log(`[drift false alarms, simulated] ${withEvent}/${RUNS} runs with an event = ${share.toFixed(4)} (alpha ${ALPHA}, ${tests} tests)`)
    expect(tests).toBe(RUNS * 10)
    expect(share).toBeLessThanOrEqual(limit(RUNS))
  })

  it('the same simulation with a planted 15-point denial rise is caught most of the time (power check)', () => {
    let caught = 0
    for (let run = 0; run < 500; run++) {
      const analysis = analyzeDrift(tenantRun(0.15), { min_claims: 30, alpha: ALPHA })
      if (analysis.events.some((e) => e.payer_name === 'A' && e.metric === 'denial_rate' && e.delta > 0)) caught++
    }
    console.log(`[drift power, simulated] ${caught}/500 runs caught a +0.15 denial rate shift`)
    expect(caught / 500).toBeGreaterThan(0.5)
  })
})

describe('false alarms end to end: 200 synthetic tenants on PostgreSQL (no drift)', () => {
  let upstream: TestDatabase
  let customerIds: number[] = []
  const TENANTS = 200

  beforeAll(async () => {
    upstream = await createTestDatabase()
    const s = (t: string) => sql.id(upstream.schema, t)
    // Fixture data is written in bulk by the owner (one statement per table); detection
    // then runs per tenant through claimsTenant, under row-level security.
    const customers = await sql<{ id: number }>`
      insert into ${s('customers')} (name) select 'null-' || g from generate_series(1, ${TENANTS}) g returning id`.execute(upstream.db)
    customerIds = customers.rows.map((r) => Number(r.id))
    await sql`insert into ${s('uploads')} (customer_id, filename, status)
      select id, 'null.csv', 'success' from ${s('customers')} where name like 'null-%'`.execute(upstream.db)
    const u = (k: number) => sql`(('x' || substr(md5(u.customer_id || ':' || p.payer || ':' || w.win || ':' || i || ':' || ${String(k)}), 1, 8))::bit(32)::bigint / 4294967296.0)`
    // per tenant and payer: rates drawn once (same in both windows), 100-250 baseline and 40-100 current claims
    await sql`
      insert into ${s('claim_records')}
        (customer_id, upload_id, claim_number, payer_name, cpt_code, service_date, billed_amount, allowed_amount, paid_amount, status)
      select u.customer_id, u.id, p.payer || '-' || w.win || '-' || i, p.payer, '99213',
        case w.win when 'b' then date '2026-02-01' + (i % 90) else date '2026-05-02' + (i % 30) end,
        billed, billed, case when st = 'denied' then null else round(billed * ratio, 2) end, st
      from ${s('uploads')} u
      cross join (values ('Aetna'), ('Cigna'), ('Humana')) p(payer)
      cross join lateral (select ('x' || substr(md5(u.customer_id || p.payer), 1, 8))::bit(32)::bigint / 4294967296.0 as h) t
      cross join lateral (values ('b', 100 + floor(t.h * 150)::int), ('c', 40 + floor(t.h * 60)::int)) w(win, n)
      cross join lateral generate_series(1, w.n) i
      cross join lateral (select
          round((50 + 450 * ${u(1)})::numeric, 2) as billed,
          case when ${u(2)} < 0.05 + 0.25 * t.h then 'denied' when ${u(2)} < 0.15 + 0.25 * t.h then 'adjusted' else 'paid' end as st,
          greatest(0, 0.6 + 0.3 * t.h + 0.1 * sqrt(3.0) * (${u(4)} + ${u(5)} + ${u(6)} + ${u(7)} - 2))::numeric as ratio) r`.execute(upstream.db)
  }, 120_000)
  afterAll(async () => upstream?.destroy())

  it('share of the 200 runs with any event stays near or below alpha', async () => {
    let withEvent = 0
    let tested = 0
    let claims = 0
    const queue = [...customerIds]
    const worker = async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        const r = await detectDrift(claimsTenant(upstream, id), { as_of: '2026-06-01', alpha: ALPHA })
        tested += r.report.groups_tested
        claims += r.computation!.groups.reduce((n, g) => n + g.baseline.adjudicated + g.current.adjudicated, 0)
        if (r.report.events_count > 0) withEvent++
      }
    }
    await Promise.all([worker(), worker(), worker(), worker()])
    const share = withEvent / TENANTS
    console.log(`[drift false alarms, PostgreSQL] ${withEvent}/${TENANTS} tenants with an event = ${share.toFixed(3)} (alpha ${ALPHA}; ${claims} adjudicated claims)`)
    expect(tested).toBe(TENANTS * 3)
    expect(share).toBeLessThanOrEqual(limit(TENANTS))
  }, 120_000)
})
