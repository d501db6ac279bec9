import fc from 'fast-check'
import { sql, type Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CLAIM_STATUSES, type ClaimRecord, type ClaimStatus, type ClaimsDatabase } from '../../src/claims/core/database.js'
import { defineListSpec } from '../../src/list-query/define-list-spec.js'
import { filter } from '../../src/list-query/filter-field.js'
import { InvalidPageError } from '../../src/list-query/invalid-page-error.js'
import type { CountedPage, CursorPage, ListPage } from '../../src/list-query/list-page.js'
import { runTenantList } from '../../src/list-query/run-tenant-list.js'
import type { ClaimsTenantScope } from '../../src/claims/index.js'
import { createTestDatabase, type TestDatabase } from '../support/test-database.js'
import { cents, insertClaims, newTenant, type ClaimSeed } from './support/claims-fixture.js'

/** A list over claim_records with every pagination style and a nullable ordering field. */
const spec = defineListSpec({
  name: 'property-claims',
  query: (db: Kysely<ClaimsDatabase>) => db.selectFrom('claim_records').selectAll(),
  filters: {
    status: filter.enum('status', CLAIM_STATUSES),
    payer_name: filter.text('payer_name'),
    min_amount: filter.decimal('billed_amount', { as: 'gte', lookups: [] }),
    max_amount: filter.decimal('billed_amount', { as: 'lte', lookups: [] }),
    date_after: filter.date('service_date', { as: 'gte', lookups: [] }),
    date_before: filter.date('service_date', { as: 'lte', lookups: [] }),
    paid_amount: filter.decimal('paid_amount', { lookups: ['isnull'] }),
  },
  search: ['claim_number', 'payer_name', 'cpt_code'],
  ordering: {
    fields: {
      service_date: 'service_date',
      billed_amount: 'billed_amount',
      created_at: 'created_at',
      claim_number: 'claim_number',
      paid_amount: { column: 'paid_amount', nullable: true },
    },
    default: ['-service_date'],
  },
  pagination: { styles: ['page-number', 'limit-offset', 'cursor'] },
})
type Field = keyof typeof spec.settings.ordering.fields

let upstream: TestDatabase
let noise: ClaimsTenantScope
beforeAll(async () => {
  upstream = await createTestDatabase()
  noise = await newTenant(upstream, 'noise') // another tenant's rows: must never show up
})
afterAll(async () => upstream?.destroy())

// Cased letters only in ASCII (C.UTF-8 ILIKE folds ASCII only); unicode without case; LIKE wildcards.
const CHARS = ['a', 'A', 'b', 'B', 'z', '0', '9', '-', '%', '_', '\\', ' ', '中', 'ü', '😀', 'é']
const PAYERS = ['Acme', 'acme', 'Blue 50%', 'Blue_X', '中文 Payer', '😀 Care']
const CPTS = ['99213', '99214', 'A0001']
const DATES = ['2024-02-29', '2025-01-01', '2025-01-02', '2025-12-31']
const AMOUNTS = [0, 1, 99, 100, 12345, 999999999999]
const TERMS = ['acme', 'ACME', '50%', '_', '\\', '中', '😀', '9921', 'zz', 'a', '-', 'é']

const fmt = (c: number) => `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`

const rowArb = fc.record({
  prefix: fc.array(fc.constantFrom(...CHARS), { maxLength: 6 }).map((a) => a.join('')),
  payer_name: fc.constantFrom(...PAYERS),
  cpt_code: fc.constantFrom(...CPTS),
  service_date: fc.constantFrom(...DATES),
  billed: fc.oneof(fc.constantFrom(...AMOUNTS), fc.integer({ min: 0, max: 20000 })),
  paid: fc.option(fc.constantFrom(0, 50, 5000), { nil: null }),
  status: fc.constantFrom<ClaimStatus>(...CLAIM_STATUSES),
})
type RowValue = typeof rowArb extends fc.Arbitrary<infer T> ? T : never
let serial = 0
const toSeed = (r: RowValue): ClaimSeed => ({
  claim_number: `${r.prefix}#${serial++}`,
  payer_name: r.payer_name,
  cpt_code: r.cpt_code,
  service_date: r.service_date,
  billed_amount: fmt(r.billed),
  paid_amount: r.paid === null ? null : fmt(r.paid),
  status: r.status,
})

const rare = <T,>(arb: fc.Arbitrary<T>) => fc.oneof({ arbitrary: fc.constant(undefined), weight: 4 }, { arbitrary: arb, weight: 1 })
const queryArb = fc
  .record({
    status: rare(fc.uniqueArray(fc.constantFrom(...CLAIM_STATUSES), { minLength: 1, maxLength: 2 })),
    payer_name: rare(fc.constantFrom(...PAYERS)),
    min_amount: rare(fc.constantFrom(...AMOUNTS, 50, 10000).map(fmt)),
    max_amount: rare(fc.constantFrom(...AMOUNTS, 50, 10000).map(fmt)),
    date_after: rare(fc.constantFrom(...DATES)),
    date_before: rare(fc.constantFrom(...DATES)),
    paid_amount__isnull: rare(fc.constantFrom('true', 'false')),
    search: rare(fc.tuple(fc.array(fc.constantFrom(...TERMS), { minLength: 1, maxLength: 2 }), fc.constantFrom(' ', ',', ' , ')).map(([t, sep]) => t.join(sep))),
    ordering: fc.option(fc
      .uniqueArray(fc.constantFrom<Field>('service_date', 'billed_amount', 'created_at', 'claim_number', 'paid_amount', 'paid_amount', 'paid_amount'), { minLength: 1, maxLength: 3 })
      .chain((fields) => fc.tuple(fc.boolean(), ...fields.map((f) => fc.constantFrom(f, `-${f}`))).map(([same, ...t]) => (same ? t.map((x) => (t[0]!.startsWith('-') ? `-${x.replace(/^-/, '')}` : x.replace(/^-/, ''))) : t).join(','))), { nil: undefined }),
  })
  .map((q) => Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined)) as Record<string, string | string[]>)

interface RefRow {
  id: number
  claim_number: string
  payer_name: string
  cpt_code: string
  service_date: string
  billed: number
  paid: number | null
  created: string
  status: string
}

async function snapshot(tenant: ClaimsTenantScope): Promise<RefRow[]> {
  const rows = await tenant.read(({ db }) =>
    db
      .selectFrom('claim_records')
      .select(['id', 'claim_number', 'payer_name', 'cpt_code', 'service_date', 'billed_amount', 'paid_amount', 'status'])
      .select(sql<string>`to_char(created_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')`.as('created'))
      .execute(),
  )
  return rows.map((r) => ({ ...r, billed: cents(r.billed_amount), paid: r.paid_amount === null ? null : cents(r.paid_amount) }))
}

/** The in-memory reference of the same semantics. */
function reference(rows: RefRow[], q: Record<string, string | string[]>): RefRow[] {
  const lower = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase())
  const terms = typeof q.search === 'string' ? q.search.split(/[\s,]+/).filter(Boolean) : []
  const kept = rows.filter(
    (r) =>
      (!q.status || (q.status as string[]).includes(r.status)) &&
      (!q.payer_name || r.payer_name === q.payer_name) &&
      (!q.min_amount || r.billed >= cents(q.min_amount as string)) &&
      (!q.max_amount || r.billed <= cents(q.max_amount as string)) &&
      (!q.date_after || r.service_date >= (q.date_after as string)) &&
      (!q.date_before || r.service_date <= (q.date_before as string)) &&
      (!q.paid_amount__isnull || (q.paid_amount__isnull === 'true') === (r.paid === null)) &&
      terms.every((t) => [r.claim_number, r.payer_name, r.cpt_code].some((f) => lower(f).includes(lower(t)))),
  )
  const terms2 = (typeof q.ordering === 'string' ? q.ordering : '-service_date').split(',')
  const keys = terms2.map((t) => ({ field: t.replace(/^-/, ''), desc: t.startsWith('-') }))
  keys.push({ field: 'id', desc: keys.at(-1)!.desc })
  const value = (r: RefRow, f: string): string | number | null =>
    f === 'billed_amount' ? r.billed : f === 'paid_amount' ? r.paid : f === 'created_at' ? r.created : f === 'id' ? r.id : (r[f as keyof RefRow] as string)
  const cmp = (a: RefRow, b: RefRow) => {
    for (const k of keys) {
      const x = value(a, k.field)
      const y = value(b, k.field)
      if (x === y) continue
      const c = x === null ? 1 : y === null ? -1 : x < y ? -1 : 1 // NULL is the largest value
      return k.desc ? -c : c
    }
    return 0
  }
  return kept.sort(cmp)
}

const URL_BASE = 'https://x.test/api/v1/claims/'
function urlOf(params: Record<string, string | string[]>): string {
  const u = new URL(URL_BASE)
  for (const [k, v] of Object.entries(params)) for (const x of [v].flat()) u.searchParams.append(k, x)
  return u.href
}
function run(tenant: ClaimsTenantScope, params: Record<string, string | string[]>): Promise<ListPage<ClaimRecord>> {
  return runTenantList(tenant, spec, params, { url: urlOf(params) })
}
function follow(tenant: ClaimsTenantScope, link: string): Promise<ListPage<ClaimRecord>> {
  return runTenantList(tenant, spec, new URL(link).searchParams, { url: link })
}

describe('list queries against an in-memory reference (fast-check)', () => {
  it('page-number, limit-offset and cursor pages match the reference; cursor walks are complete while rows are inserted', async () => {
    await insertClaims(noise, fc.sample(rowArb, 30).map(toSeed))
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 40 }).chain((n) => fc.array(rowArb, { minLength: n, maxLength: n })),
        queryArb,
        fc.integer({ min: 1, max: 7 }),
        fc.array(fc.array(rowArb, { minLength: 1, maxLength: 3 }), { minLength: 0, maxLength: 8 }),
        fc.nat(),
        async (seedRows, q, pageSize, inserts, pick) => {
          const tenant = await newTenant(upstream)
          if (seedRows.length > 0) {
            // two statements: ties on created_at inside each, distinct between them
            const half = Math.ceil(seedRows.length / 2)
            await insertClaims(tenant, seedRows.slice(0, half).map(toSeed))
            if (seedRows.length > half) await insertClaims(tenant, seedRows.slice(half).map(toSeed))
          }
          const before = reference(await snapshot(tenant), q)
          const size = String(pageSize)

          // page-number: count and a random page
          const pages = Math.max(1, Math.ceil(before.length / pageSize))
          const page = (pick % pages) + 1
          const pn = (await run(tenant, { ...q, page_size: size, page: String(page) })) as CountedPage<ClaimRecord>
          expect(pn.count).toBe(before.length)
          expect(pn.results.map((r) => r.id)).toEqual(before.slice((page - 1) * pageSize, page * pageSize).map((r) => r.id))
          expect(pn.next === null).toBe(page === pages)
          if (before.length > 0) await expect(run(tenant, { ...q, page_size: size, page: String(pages + 1) })).rejects.toBeInstanceOf(InvalidPageError)

          // limit-offset
          const offset = pick % (before.length + 2)
          const lo = (await run(tenant, { ...q, pagination: 'limit-offset', limit: size, offset: String(offset) })) as CountedPage<ClaimRecord>
          expect(lo.results.map((r) => r.id)).toEqual(before.slice(offset, offset + pageSize).map((r) => r.id))
          expect(lo.count).toBe(before.length) // past the end too: a page without rows still counts

          // cursor walk forward, inserting rows between pages
          const walked: CursorPage<ClaimRecord>[] = [(await run(tenant, { ...q, pagination: 'cursor', page_size: size })) as CursorPage<ClaimRecord>]
          let i = 0
          while (walked.at(-1)!.next) {
            if (i < inserts.length) await insertClaims(tenant, inserts[i++]!.map(toSeed))
            walked.push((await follow(tenant, walked.at(-1)!.next!)) as CursorPage<ClaimRecord>)
            expect(walked.length).toBeLessThan(200)
          }
          const ids = walked.flatMap((p) => p.results.map((r) => r.id))
          expect(new Set(ids).size).toBe(ids.length) // no repeats
          const original = new Set(before.map((r) => r.id))
          expect(ids.filter((id) => original.has(id))).toEqual(before.map((r) => r.id)) // every original row once, in order
          const after = reference(await snapshot(tenant), q)
          const position = new Map(after.map((r, k) => [r.id, k]))
          const positions = ids.map((id) => position.get(id)!)
          expect(positions).toEqual([...positions].sort((a, b) => a - b)) // the whole walk is in order
          for (const p of walked) expect(p.results.length).toBeLessThanOrEqual(pageSize)

          // cursor walk backward from the last page, with no writes: exactly the rows before it, in order
          const last = walked.at(-1)!
          const back: ClaimRecord[][] = [last.results]
          let link = last.previous
          while (link) {
            const p = (await follow(tenant, link)) as CursorPage<ClaimRecord>
            back.unshift(p.results)
            link = p.previous
            expect(back.length).toBeLessThan(200)
          }
          expect(back.flat().map((r) => r.id)).toEqual(after.map((r) => r.id))
        },
      ),
      { numRuns: 40 },
    )
  })
})
