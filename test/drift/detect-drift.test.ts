import { claimsMigrations, type ClaimsDatabase } from '../../src/claims/index.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createCustomer,
  detectDrift,
  DriftSubscriberRegistry,
  driftParamsSchema,
  claimsTenant,
  getDriftReport,
  NotFoundError,
  parseDriftParams,
  ValidationError,
  type DriftNotice,
  type ClaimsTenantScope,
} from '../support/upstream.js'
import { createDatabase } from '../../src/db/create-database.js'
import { createTestDatabase, testDatabaseUrl, type TestDatabase } from '../support/test-database.js'
import { plantClaims, type ClaimSegment } from './support/plant-claims.js'

let upstream: TestDatabase
let tenant: ClaimsTenantScope
let other: ClaimsTenantScope

const AS_OF = '2026-06-01'
// baseline [2026-02-01, 2026-05-02), current [2026-05-02, 2026-06-01)
const BASE = { start: '2026-02-01', days: 90, count: 1500 }
const CURR = { start: '2026-05-02', days: 30, count: 500 }

function stable(payer: string, seed: string): ClaimSegment[] {
  return [
    { payer, ...BASE, denialRate: 0.1, ratioMean: 0.8, seed: `${seed}-b` },
    { payer, ...CURR, denialRate: 0.1, ratioMean: 0.8, seed: `${seed}-c` },
  ]
}

beforeAll(async () => {
  upstream = await createTestDatabase()
  tenant = claimsTenant(upstream, (await createCustomer(upstream, 'Planted')).id)
  other = claimsTenant(upstream, (await createCustomer(upstream, 'Other')).id)
  await tenant.transaction(async ({ db, uploads, customerId }) => {
    const upload = await uploads.create({ filename: 'planted.csv', status: 'success' })
    await plantClaims(db, upstream.schema, customerId, upload.id, [
      // denial rate 10% -> 30%
      { payer: 'Aetna', ...BASE, denialRate: 0.1, ratioMean: 0.8, seed: 'aetna-b' },
      { payer: 'Aetna', ...CURR, denialRate: 0.3, ratioMean: 0.8, seed: 'aetna-c' },
      // paid ratio 0.80 -> 0.72
      { payer: 'Cigna', ...BASE, denialRate: 0.1, ratioMean: 0.8, seed: 'cigna-b' },
      { payer: 'Cigna', ...CURR, denialRate: 0.1, ratioMean: 0.72, seed: 'cigna-c' },
      ...stable('Humana', 'humana'),
      ...stable('Kaiser', 'kaiser'),
      ...stable('UnitedHealthcare', 'uhc'),
      // a small payer with a huge change, below min_claims in the current window: never tested
      { payer: 'Tiny', ...BASE, count: 200, denialRate: 0.1, ratioMean: 0.8, seed: 'tiny-b' },
      { payer: 'Tiny', ...CURR, count: 25, denialRate: 0.9, ratioMean: 0.3, seed: 'tiny-c' },
      // outside both windows (the day before the baseline, and as_of itself): must be ignored
      { payer: 'Humana', start: '2026-01-31', days: 1, count: 400, denialRate: 1, ratioMean: 0.1, seed: 'before' },
      { payer: 'Kaiser', start: AS_OF, days: 1, count: 400, denialRate: 1, ratioMean: 0.1, seed: 'asof' },
    ])
  })
  // another tenant whose Humana drifts wildly: must never show in the first tenant's report
  await other.transaction(async ({ db, uploads, customerId }) => {
    const upload = await uploads.create({ filename: 'other.csv', status: 'success' })
    await plantClaims(db, upstream.schema, customerId, upload.id, [
      { payer: 'Humana', ...BASE, denialRate: 0.05, ratioMean: 0.9, seed: 'o-b' },
      { payer: 'Humana', ...CURR, denialRate: 0.6, ratioMean: 0.4, seed: 'o-c' },
    ])
  })
}, 120_000)
afterAll(async () => upstream?.destroy())

describe('parseDriftParams / driftParamsSchema', () => {
  it('applies the defaults of CONTRACT section 4', () => {
    const p = parseDriftParams(undefined)
    expect(p).toEqual({
      as_of: new Date().toISOString().slice(0, 10), baseline_days: 90, current_days: 30, group_by: 'payer', min_claims: 30, alpha: 0.05, force: false,
    })
    expect(driftParamsSchema.parse({ as_of: AS_OF, group_by: 'payer_cpt' }).group_by).toBe('payer_cpt')
  })

  it('reports every bad field at once, in DRF shape', () => {
    let error: unknown
    try {
      parseDriftParams({ as_of: '2026-02-30', baseline_days: 0, current_days: 1.5, group_by: 'cpt', min_claims: 1, alpha: 1, force: 'yes', extra: 1 })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ValidationError)
    expect((error as ValidationError).fields).toEqual({
      as_of: ['Date has wrong format. Use one of these formats instead: YYYY-MM-DD.'],
      baseline_days: ['Ensure this value is greater than or equal to 1.'],
      current_days: ['A valid integer is required.'],
      group_by: ['"cpt" is not a valid choice.'],
      min_claims: ['Ensure this value is greater than or equal to 2.'],
      alpha: ['Ensure this value is less than 1.'],
      force: ['Must be a valid boolean.'],
      extra: ['Unknown field.'],
    })
  })

  it('refuses non-objects, strings for numbers, out-of-range windows', () => {
    expect(() => parseDriftParams('x')).toThrow(ValidationError)
    expect(() => parseDriftParams([])).toThrow(ValidationError)
    expect(() => parseDriftParams({ baseline_days: '90' })).toThrow(ValidationError)
    expect(() => parseDriftParams({ alpha: 0 })).toThrow(ValidationError)
    expect(() => parseDriftParams({ current_days: 3651 })).toThrow(ValidationError)
    expect(() => parseDriftParams({ as_of: '1899-12-31' })).toThrow(ValidationError)
    expect(() => parseDriftParams({ as_of: '2026-6-1' })).toThrow(ValidationError)
  })
})

describe('detectDrift on planted drift', () => {
  it('finds exactly the two planted events, with direction and severity', async () => {
    const r = await detectDrift(tenant, { as_of: AS_OF })
    expect(r.created).toBe(true)
    expect(r.report).toMatchObject({
      as_of: AS_OF, baseline_start: '2026-02-01', baseline_end: '2026-05-02', current_start: '2026-05-02', current_end: AS_OF,
      group_by: 'payer', min_claims: 30, alpha: 0.05, groups_tested: 5, events_count: 2,
    })
    expect(r.report.duration_ms).toBeGreaterThan(0)
    const events = r.events.map((e) => ({ payer: e.payer_name, metric: e.metric, severity: e.severity, up: e.delta > 0 }))
    expect(events).toEqual([
      { payer: 'Aetna', metric: 'denial_rate', severity: 'high', up: true },
      { payer: 'Cigna', metric: 'paid_ratio', severity: 'medium', up: false },
    ])
    const [aetna, cigna] = r.events
    expect(aetna!.baseline_value).toBeCloseTo(0.1, 1)
    expect(aetna!.current_value).toBeCloseTo(0.3, 1)
    expect(cigna!.delta).toBeLessThan(-0.05)
    expect(cigna!.delta).toBeGreaterThan(-0.1)
    for (const e of r.events) {
      expect(e.adjusted_p_value).toBeLessThan(0.05)
      expect(e.adjusted_p_value).toBeGreaterThanOrEqual(e.p_value)
      expect(e.cpt_code).toBeNull()
    }
    // the windows exclude the day before the baseline and as_of itself (both 100% denied)
    const humana = r.computation!.groups.find((g) => g.payer_name === 'Humana')!
    expect(humana.baseline.denied / humana.baseline.adjudicated).toBeLessThan(0.15)
    expect(r.computation!.groups.map((g) => g.payer_name)).toEqual(['Aetna', 'Cigna', 'Humana', 'Kaiser', 'Tiny', 'UnitedHealthcare'])
    // 10 tests: 5 groups x 2 metrics; the events' n match the aggregates
    expect(r.computation!.tests).toHaveLength(10)
    expect(aetna!.current_n).toBe(r.computation!.groups[0]!.current.adjudicated)
    expect(cigna!.current_n).toBe(r.computation!.groups[1]!.current.ratio_n)
  })

  it('returns the stored report for the same parameters (created=false), recomputes with force', async () => {
    const first = await detectDrift(tenant, { as_of: AS_OF })
    expect(first.created).toBe(false)
    expect(first.computation).toBeUndefined()
    expect(first.events).toHaveLength(2)
    const forced = await detectDrift(tenant, { as_of: AS_OF, force: true })
    expect(forced).toMatchObject({ created: true, replaced: true })
    expect(forced.report.id).not.toBe(first.report.id)
    expect(forced.events.map((e) => e.report_id)).toEqual([forced.report.id, forced.report.id])
    await expect(getDriftReport(tenant, first.report.id)).rejects.toBeInstanceOf(NotFoundError)
    const again = await getDriftReport(tenant, forced.report.id)
    expect(again.events.map((e) => e.id)).toEqual(forced.events.map((e) => e.id))
  })

  it('groups by payer and CPT', async () => {
    const r = await detectDrift(tenant, { as_of: AS_OF, group_by: 'payer_cpt' })
    expect(r.report.groups_tested).toBe(5)
    expect(r.events.map((e) => [e.payer_name, e.cpt_code, e.metric])).toEqual([
      ['Aetna', '99213', 'denial_rate'],
      ['Cigna', '99213', 'paid_ratio'],
    ])
  })

  it('gates groups on min_claims adjudicated claims in both windows', async () => {
    const r = await detectDrift(tenant, { as_of: AS_OF, min_claims: 20 })
    expect(r.report.groups_tested).toBe(6)
    expect(r.events.some((e) => e.payer_name === 'Tiny')).toBe(true)
    const none = await detectDrift(tenant, { as_of: AS_OF, min_claims: 100_000 })
    expect(none.report).toMatchObject({ groups_tested: 0, events_count: 0 })
  })

  it('keeps tenants apart', async () => {
    const r = await detectDrift(other, { as_of: AS_OF })
    expect(r.report.groups_tested).toBe(1)
    expect(r.events.map((e) => e.metric)).toEqual(['denial_rate', 'paid_ratio'])
    await expect(getDriftReport(tenant, r.report.id)).rejects.toBeInstanceOf(NotFoundError)
    await expect(getDriftReport(tenant, -1)).rejects.toBeInstanceOf(NotFoundError)
  })

  it('validates before touching the database', async () => {
    await expect(detectDrift(tenant, { alpha: 5 })).rejects.toBeInstanceOf(ValidationError)
  })
})

describe('subscribers', () => {
  it('run after the commit, only for new reports; a failing one does not undo the report', async () => {
    const seen: Array<{ id: number; visibleElsewhere: boolean }> = []
    const errors: unknown[] = []
    const registry = new DriftSubscriberRegistry()
    registry.subscribe(async (n: DriftNotice) => {
      // another connection already sees the report: we are past the commit
      const elsewhere = await tenant.read(({ driftReports }) => driftReports.findById(n.report.id))
      seen.push({ id: n.report.id, visibleElsewhere: elsewhere !== undefined })
    })
    registry.subscribe(() => {
      throw new Error('mail server down')
    })
    const params = { as_of: AS_OF, baseline_days: 60 }
    const r = await detectDrift(tenant, params, { subscribers: registry, onSubscriberError: (e) => errors.push(e) })
    expect(r.created).toBe(true)
    expect(seen).toEqual([{ id: r.report.id, visibleElsewhere: true }])
    expect(errors).toHaveLength(1)
    expect(r.subscriberErrors).toHaveLength(1)
    expect((await getDriftReport(tenant, r.report.id)).report.id).toBe(r.report.id)

    const again = await detectDrift(tenant, params, { subscribers: registry })
    expect(again.created).toBe(false)
    expect(seen).toHaveLength(1)

    const forced = await detectDrift(tenant, { ...params, force: true }, { subscribers: [(n) => void seen.push({ id: n.report.id, visibleElsewhere: n.replaced })] })
    expect(seen.at(-1)).toEqual({ id: forced.report.id, visibleElsewhere: true })
  })
})

describe('one aggregate statement', () => {
  it('reads claim_records with exactly one grouped statement per run, and locks no rows', async () => {
    const statements: Array<{ sql: string }> = []
    const logged = await createDatabase<ClaimsDatabase>({
      connectionString: testDatabaseUrl(),
      schema: upstream.schema,
      log: (event) => {
        if (event.level === 'query') statements.push({ sql: event.query.sql })
      },
    })
    try {
      const r = await detectDrift(claimsTenant(logged, tenant.customerId), { as_of: AS_OF, group_by: 'payer_cpt', force: true })
      const claimReads = statements.filter((st) => /claim_records/.test(st.sql))
      expect(claimReads).toHaveLength(1)
      expect(r.computation!.groups.length).toBeGreaterThan(0)
      expect(claimReads[0]!.sql).toMatch(/group by payer_name, cpt_code/)
      expect(statements.some((st) => /for update/i.test(st.sql))).toBe(false)
    } finally {
      await logged.destroy()
    }
  })
})

describe('on embedded PGlite (the demo database)', () => {
  it('detects, deduplicates concurrent runs and replaces with force', async () => {
    const lite = await createDatabase<ClaimsDatabase>({ embedded: true })
    try {
      const { migrateToLatest } = await import('../../src/db/migrate-to-latest.js')
      await migrateToLatest(lite, { sets: [claimsMigrations] })
      const t = claimsTenant(lite, (await createCustomer(lite, 'lite')).id)
      await t.transaction(async ({ db, uploads, customerId }) => {
        const upload = await uploads.create({ filename: 'lite.csv', status: 'success' })
        await plantClaims(db, lite.schema, customerId, upload.id, [
          { payer: 'Aetna', ...BASE, count: 600, denialRate: 0.1, ratioMean: 0.8, seed: 'lite-b' },
          { payer: 'Aetna', ...CURR, count: 300, denialRate: 0.35, ratioMean: 0.8, seed: 'lite-c' },
        ])
      })
      const [a, b] = await Promise.all([detectDrift(t, { as_of: AS_OF }), detectDrift(t, { as_of: AS_OF })])
      expect(a.report.id).toBe(b.report.id)
      expect([a.created, b.created].sort()).toEqual([false, true])
      expect(a.events.map((e) => [e.metric, e.severity])).toEqual([['denial_rate', 'high']])
      const forced = await detectDrift(t, { as_of: AS_OF, force: true })
      expect((await getDriftReport(t, forced.report.id)).events).toHaveLength(1)
    } finally {
      await lite.destroy()
    }
  }, 60_000)
})
