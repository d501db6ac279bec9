import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ClaimRecord } from '../../src/claims/core/database.js'
import { applyFilters } from '../../src/list-query/apply-filters.js'
import { applyOrdering, sortKeys } from '../../src/list-query/apply-ordering.js'
import { applySearch } from '../../src/list-query/apply-search.js'
import { keysetPredicate } from '../../src/list-query/keyset-predicate.js'
import { claimsListSpec } from '../../src/claims/lists/claims-list-spec.js'
import type { ClaimsTenantScope } from '../../src/claims/index.js'
import { createTestDatabase, type TestDatabase } from '../support/test-database.js'
import { cents, claim, insertClaims, newTenant } from './support/claims-fixture.js'

let upstream: TestDatabase
let tenant: ClaimsTenantScope
let rows: ClaimRecord[]

beforeAll(async () => {
  upstream = await createTestDatabase()
  tenant = await newTenant(upstream)
  rows = (await insertClaims(tenant, Array.from({ length: 40 }, (_, i) => claim(i)))).claims
})
afterAll(async () => upstream?.destroy())

/** Compiles the spec's base query with the parsed params applied, and runs it for the tenant. */
async function check(params: Record<string, string | string[]>, expectedSql: string, expectedParams: unknown[], reference: (r: ClaimRecord) => boolean) {
  const q = claimsListSpec.parse(params)
  const build = (db: typeof upstream.db) =>
    claimsListSpec.query(db).$call(applyFilters(q.filters)).$call(applySearch(claimsListSpec.settings.search, q.search)).orderBy('id')
  const compiled = build(upstream.db).compile()
  const where = compiled.sql.slice(compiled.sql.indexOf(' where ') + 7, compiled.sql.indexOf(' order by '))
  expect(where).toBe(expectedSql)
  expect(compiled.parameters).toEqual(expectedParams)
  const got = await tenant.read(({ db }) => build(db).execute())
  const want = rows.filter(reference)
  expect(want.length).toBeGreaterThan(0)
  expect(want.length).toBeLessThan(rows.length)
  expect(got.map((r) => r.id)).toEqual(want.map((r) => r.id))
}

describe('filter operators: compiled SQL, then the same on PostgreSQL', () => {
  it('exact', () => check({ status: 'paid' }, '"status" = $1', ['paid'], (r) => r.status === 'paid'))
  it('exact repeated -> any of', () =>
    check({ status: ['paid', 'denied'] }, '"status" in ($1, $2)', ['paid', 'denied'], (r) => r.status === 'paid' || r.status === 'denied'))
  it('in (comma list)', () =>
    check({ status__in: 'paid,denied' }, '"status" in ($1, $2)', ['paid', 'denied'], (r) => ['paid', 'denied'].includes(r.status)))
  it('gte alias (min_amount)', () => check({ min_amount: '500.5' }, '"billed_amount" >= $1', ['500.5'], (r) => cents(r.billed_amount) >= 50050))
  it('lte alias (max_amount)', () => check({ max_amount: '100' }, '"billed_amount" <= $1', ['100'], (r) => cents(r.billed_amount) <= 10000))
  it('gt', () => check({ billed_amount__gt: '300.00' }, '"billed_amount" > $1', ['300.00'], (r) => cents(r.billed_amount) > 30000))
  it('lt', () => check({ billed_amount__lt: '300.00' }, '"billed_amount" < $1', ['300.00'], (r) => cents(r.billed_amount) < 30000))
  it('gte repeated -> any of', () =>
    check({ billed_amount__gte: ['900', '950'] }, '("billed_amount" >= $1 or "billed_amount" >= $2)', ['900', '950'], (r) => cents(r.billed_amount) >= 90000))
  it('range', () =>
    check({ billed_amount__range: '100,400.25' }, '"billed_amount" between $1 and $2', ['100', '400.25'], (r) => cents(r.billed_amount) >= 10000 && cents(r.billed_amount) <= 40025))
  it('date range aliases', () =>
    check({ date_after: '2025-02-01', date_before: '2025-02-15' }, '"service_date" >= $1 and "service_date" <= $2', ['2025-02-01', '2025-02-15'], (r) => r.service_date >= '2025-02-01' && r.service_date <= '2025-02-15'))
  it('date exact', () => check({ service_date: '2025-01-01' }, '"service_date" = $1', ['2025-01-01'], (r) => r.service_date === '2025-01-01'))
  it('isnull true', () => check({ paid_amount__isnull: 'true' }, '"paid_amount" is null', [], (r) => r.paid_amount === null))
  it('isnull false', () => check({ paid_amount__isnull: 'false' }, '"paid_amount" is not null', [], (r) => r.paid_amount !== null))
  it('icontains escapes wildcards', () =>
    check({ payer_name__icontains: '50%_' }, '"payer_name" ilike $1', ['%50\\%\\_%'], (r) => r.payer_name.includes('50%_')))
  it('istartswith', () => check({ payer_name__istartswith: 'acme' }, '"payer_name" ilike $1', ['acme%'], (r) => r.payer_name.toLowerCase().startsWith('acme')))
  it('integer (upload)', async () => {
    const other = await insertClaims(tenant, [claim(1000)])
    rows.push(...other.claims)
    await check({ upload: String(other.upload.id) }, '"upload_id" = $1', [other.upload.id], (r) => r.upload_id === other.upload.id)
  })
  it('timestamp range', async () => {
    const at = rows[0]!.created_at
    const iso = new Date(at.getTime() + 1).toISOString()
    await check({ created_at__lt: iso }, '"created_at" < $1', [iso.replace('Z', '000+00:00')], (r) => r.created_at.getTime() < at.getTime() + 1)
  })
  it('search: terms AND, fields OR, wildcards escaped', () =>
    check(
      { search: 'cigna, 50%' },
      '("claim_number" ilike $1 or "payer_name" ilike $2 or "cpt_code" ilike $3) and ("claim_number" ilike $4 or "payer_name" ilike $5 or "cpt_code" ilike $6)',
      ['%cigna%', '%cigna%', '%cigna%', '%50\\%%', '%50\\%%', '%50\\%%'],
      (r) => r.payer_name.toLowerCase().includes('cigna') && [r.claim_number, r.payer_name, r.cpt_code].some((f) => f.includes('50%')),
    ))
  it('search: unicode term', () =>
    check({ search: 'δELTA' }, '("claim_number" ilike $1 or "payer_name" ilike $2 or "cpt_code" ilike $3)', ['%δELTA%', '%δELTA%', '%δELTA%'], (r) => r.payer_name.toLowerCase().includes('δelta')))
})

describe('ordering and keyset SQL', () => {
  it('appends the tiebreaker in the direction of the last term', () => {
    const keys = sortKeys(claimsListSpec.settings, claimsListSpec.parse({ ordering: 'billed_amount,-service_date' }).ordering)
    const sql = upstream.db.selectFrom('claim_records').select('id').$call(applyOrdering(keys)).compile().sql
    expect(sql).toContain('order by "billed_amount" asc, "service_date" desc, "id" desc')
  })
  it('uses one row-value comparison when directions agree', () => {
    const keys = sortKeys(claimsListSpec.settings, claimsListSpec.parse({ ordering: '-service_date' }).ordering)
    const c = upstream.db.selectFrom('claim_records').select('id').where(keysetPredicate(keys, ['2025-01-31', '812'])).compile()
    expect(c.sql).toContain('where ("service_date", "id") < ($1, $2)')
  })
  it('expands mixed directions and NULLs', () => {
    const keys = [
      { column: 'row_count', direction: 'asc' as const, nullable: true },
      { column: 'id', direction: 'desc' as const, nullable: false },
    ]
    const a = upstream.db.selectFrom('uploads').select('id').where(keysetPredicate(keys, ['5', '9'])).compile()
    expect(a.sql).toContain('where (("row_count" > $1 or "row_count" is null) or ("row_count" = $2 and "id" < $3))')
    const b = upstream.db.selectFrom('uploads').select('id').where(keysetPredicate(keys, [null, '9'])).compile()
    expect(b.sql).toContain('where ("row_count" is null and "id" < $1)')
  })
  it('the row-value keyset is served by the (customer_id, service_date, id) index', async () => {
    const plan = await tenant.read(async ({ db }) => {
      await sql`set local enable_seqscan = off`.execute(db)
      return db
        .selectFrom('claim_records')
        .select('id')
        .where('customer_id', '=', tenant.customerId)
        .where(keysetPredicate(sortKeys(claimsListSpec.settings, [{ field: 'service_date', direction: 'desc' }]), ['2025-02-01', '10']))
        .orderBy('service_date', 'desc')
        .orderBy('id', 'desc')
        .limit(5)
        .explain()
    })
    const text = plan.map((r) => Object.values(r).join('')).join('\n')
    expect(text).toMatch(/Index (Only )?Scan Backward using claim_records_service_date_idx/)
    expect(text).toMatch(/Index Cond: .*service_date, id\) < /)
  })
})
