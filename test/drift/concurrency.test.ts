import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createCustomer,
  detectDrift,
  claimsTenant,
  getDriftReport,
  NotFoundError,
  type DriftGroupStats,
  type ClaimsTenantScope,
} from '../support/upstream.js'
import { createTestDatabase, type TestDatabase } from '../support/test-database.js'
import { plantClaims, type ClaimSegment } from './support/plant-claims.js'

let upstream: TestDatabase

const AS_OF = '2026-06-01'
const BASE = { start: '2026-02-01', days: 90 }
const CURR = { start: '2026-05-02', days: 30 }
const PAYERS = ['Aetna', 'Cigna', 'Humana'] as const

function segments(seed: string, size: number): ClaimSegment[] {
  return PAYERS.flatMap((payer, i) => [
    { payer, ...BASE, count: size * 3, denialRate: 0.1, ratioMean: 0.8, seed: `${seed}-${payer}-b` },
    // Aetna drifts, so reports have events
    { payer, ...CURR, count: size, denialRate: i === 0 ? 0.3 : 0.1, ratioMean: 0.8, seed: `${seed}-${payer}-c` },
  ])
}

async function tenantWithClaims(name: string, size: number): Promise<ClaimsTenantScope> {
  const tenant = claimsTenant(upstream, (await createCustomer(upstream, name)).id)
  await tenant.transaction(async ({ db, uploads, customerId }) => {
    const upload = await uploads.create({ filename: `${name}.csv`, status: 'success' })
    await plantClaims(db, upstream.schema, customerId, upload.id, segments(name, size))
  })
  return tenant
}

beforeAll(async () => {
  upstream = await createTestDatabase({ pool: { max: 30 } })
}, 120_000)
afterAll(async () => upstream?.destroy())

describe('detectDrift under concurrency (real PostgreSQL)', () => {
  it('20 concurrent identical requests give exactly one report', async () => {
    const tenant = await tenantWithClaims('twenty', 2000)
    const params = { as_of: AS_OF }
    const results = await Promise.all(Array.from({ length: 20 }, () => detectDrift(tenant, params)))
    const ids = new Set(results.map((r) => r.report.id))
    expect(ids.size).toBe(1)
    expect(results.filter((r) => r.created)).toHaveLength(1)
    for (const r of results) expect(r.events.map((e) => e.id)).toEqual(results[0]!.events.map((e) => e.id))
    const stored = await tenant.read(({ db }) => db.selectFrom('drift_reports').select('id').execute())
    expect(stored).toHaveLength(1)

    // and 20 concurrent forced runs leave exactly one report, with its events
    const forced = await Promise.all(Array.from({ length: 20 }, () => detectDrift(tenant, { ...params, force: true })))
    expect(forced.every((r) => r.created && r.replaced)).toBe(true)
    const after = await tenant.read(({ db }) => db.selectFrom('drift_reports').select(['id', 'events_count']).execute())
    expect(after).toHaveLength(1)
    const { events } = await getDriftReport(tenant, after[0]!.id)
    expect(events).toHaveLength(after[0]!.events_count)
  })

  it('falls back on the unique constraint when a writer bypassed the advisory lock', async () => {
    const tenant = await tenantWithClaims('bypass', 300)
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    let bypassId = 0
    let bypassXid = ''
    // a writer that does not take the advisory lock: inserts the same report and waits
    const bypass = tenant.transaction(async ({ db, driftReports }) => {
      bypassXid = (await sql<{ x: string }>`select pg_current_xact_id()::xid::text as x`.execute(db)).rows[0]!.x
      const r = await driftReports.create({
        as_of: AS_OF, baseline_start: '2026-02-01', baseline_end: '2026-05-02', current_start: '2026-05-02', current_end: AS_OF,
        group_by: 'payer', min_claims: 30, alpha: 0.05, groups_tested: 0, events_count: 0, duration_ms: 0,
      })
      bypassId = r.id
      await gate
    })
    while (bypassId === 0) await new Promise((r) => setTimeout(r, 5))
    const racing = detectDrift(tenant, { as_of: AS_OF })
    // wait until detectDrift is blocked on the uncommitted duplicate in the unique index
    for (let waiting = 0; waiting === 0; ) {
      await new Promise((r) => setTimeout(r, 10))
      const row = await sql<{ n: number }>`select count(*)::int as n from pg_locks
        where not granted and locktype = 'transactionid' and transactionid::text = ${bypassXid}`.execute(upstream.db)
      waiting = row.rows[0]!.n
    }
    release()
    await bypass
    const r = await racing
    expect(r).toMatchObject({ created: false, computation: undefined })
    expect(r.report.id).toBe(bypassId)
  })

  it('reads one snapshot while another connection commits uploads', async () => {
    const SIZE = 2500
    const tenant = await tenantWithClaims('snapshot', SIZE)
    const before = (await detectDrift(tenant, { as_of: AS_OF, current_days: 30, baseline_days: 90 })).computation!.groups
    // Each concurrent upload adds, per payer, 3 adjudicated baseline claims and 2 current ones.
    const PER_B = 3
    const PER_C = 2
    let stop = false
    let committed = 0
    const uploader = (async () => {
      for (let n = 0; !stop; n++) {
        await tenant.transaction(async ({ uploads, claims }) => {
          const upload = await uploads.create({ filename: `live-${n}.csv`, status: 'success' })
          await claims.insertMany(
            PAYERS.flatMap((payer) =>
              [...Array(PER_B + PER_C).keys()].map((k) => ({
                upload_id: upload.id,
                claim_number: `${payer}-${k}`,
                payer_name: payer,
                cpt_code: '99213',
                service_date: k < PER_B ? '2026-03-01' : '2026-05-20',
                billed_amount: '100.00',
                paid_amount: '80.00',
                status: 'paid' as const,
              })),
            ),
          )
        })
        committed++
      }
    })()
    const seen = new Set<number>()
    try {
      for (let run = 0; run < 15; run++) {
        const r = await detectDrift(tenant, { as_of: AS_OF, force: true })
        const uploadsSeen = uploadsIn(r.computation!.groups, before, PER_B, PER_C)
        seen.add(uploadsSeen)
        // the stored events agree with the same snapshot
        for (const e of r.events.filter((x) => x.metric === 'denial_rate')) {
          const g = r.computation!.groups.find((x) => x.payer_name === e.payer_name)!
          expect([e.baseline_n, e.current_n]).toEqual([g.baseline.adjudicated, g.current.adjudicated])
        }
      }
    } finally {
      stop = true
      await uploader
    }
    expect(committed).toBeGreaterThan(15)
    expect(seen.size).toBeGreaterThan(5) // the reports really raced the uploads
  }, 120_000)

  it('force under concurrent reads never shows a report without its events', async () => {
    const tenant = await tenantWithClaims('force', 2000)
    const params = { as_of: AS_OF }
    await detectDrift(tenant, params)
    let stop = false
    let reads = 0
    let replacedMeanwhile = 0
    const problems: string[] = []
    const reader = async () => {
      while (!stop) {
        const latest = await tenant.read(({ db }) => db.selectFrom('drift_reports').select('id').orderBy('id', 'desc').executeTakeFirst())
        try {
          const { report, events } = await getDriftReport(tenant, latest!.id)
          reads++
          if (report.events_count === 0 || events.length !== report.events_count) {
            problems.push(`report ${report.id}: events_count ${report.events_count}, events ${events.length}`)
          }
        } catch (e) {
          if (!(e instanceof NotFoundError)) throw e
          replacedMeanwhile++
        }
      }
    }
    const readers = Promise.all([reader(), reader(), reader(), reader()])
    try {
      for (let i = 0; i < 30; i++) await detectDrift(tenant, { ...params, force: true })
    } finally {
      stop = true
      await readers
    }
    expect(problems).toEqual([])
    expect(reads).toBeGreaterThan(40)
    const count = await tenant.read(({ db }) => db.selectFrom('drift_reports').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow())
    expect(count.n).toBe(1)
    console.log(`[drift force] ${reads} consistent reads, ${replacedMeanwhile} found their report replaced (404)`)
  }, 120_000)
})

/**
 * How many concurrent uploads a run saw. Each upload adds PER_B baseline and PER_C current
 * adjudicated claims to every payer, atomically; a run from one snapshot sees the same number
 * of uploads in every group and both windows, and its totals are the sums of its groups.
 */
function uploadsIn(groups: readonly DriftGroupStats[], before: readonly DriftGroupStats[], perB: number, perC: number): number {
  const counts = new Set<number>()
  let total = 0
  let totalBefore = 0
  for (const g of groups) {
    const b = before.find((x) => x.payer_name === g.payer_name)!
    const inBaseline = (g.baseline.adjudicated - b.baseline.adjudicated) / perB
    const inCurrent = (g.current.adjudicated - b.current.adjudicated) / perC
    counts.add(inBaseline)
    counts.add(inCurrent)
    total += g.baseline.adjudicated + g.current.adjudicated
    totalBefore += b.baseline.adjudicated + b.current.adjudicated
  }
  expect([...counts]).toHaveLength(1)
  const uploads = [...counts][0]!
  expect(Number.isInteger(uploads)).toBe(true)
  expect(total).toBe(totalBefore + uploads * (perB + perC) * groups.length)
  return uploads
}
