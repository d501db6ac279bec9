import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { claimsTenant } from '../../src/claims/index.js'
import { resolveApiKey } from '../../src/tenancy/resolve-api-key.js'
import { parseSeedArgs, PAYERS, seedDatabase, SeedArgsError } from '../../scripts/seed/index.js'
import { createTestDatabase, type TestDatabase } from '../support/test-database.js'

let one: TestDatabase
let two: TestDatabase
const options = { customers: 2, claimsPerCustomer: 3000, seed: 42, asOf: '2026-06-30', driftPayer: 'Aetna' } as const

/** Every claim of every customer, with its id and its upload's id, as comparable text. */
async function snapshot(upstream: TestDatabase, customerIds: readonly number[]): Promise<string[]> {
  const lines: string[] = []
  for (const id of customerIds) {
    const rows = await claimsTenant(upstream, id).read(({ db }) =>
      db
        .selectFrom('claim_records as c')
        .innerJoin('uploads as u', (j) => j.onRef('u.customer_id', '=', 'c.customer_id').onRef('u.id', '=', 'c.upload_id'))
        .select(['c.id', 'u.id as upload_id', 'u.filename', 'c.claim_number', 'c.payer_name', 'c.cpt_code', 'c.service_date', 'c.billed_amount', 'c.allowed_amount', 'c.paid_amount', 'c.status', 'c.denial_reason'])
        .orderBy('c.claim_number')
        .execute(),
    )
    lines.push(...rows.map((r) => Object.values(r).join('|')))
  }
  return lines
}

beforeAll(async () => {
  ;[one, two] = await Promise.all([createTestDatabase(), createTestDatabase()])
})
afterAll(async () => {
  await one?.destroy()
  await two?.destroy()
})

describe('seedDatabase', () => {
  it('is deterministic: same arguments, same rows, ids and tokens, whatever the concurrency', async () => {
    const [s1, s2] = await Promise.all([seedDatabase(one, options), seedDatabase(two, { ...options, concurrency: 2 })])
    expect(s1.map(({ name, token, read_token }) => ({ name, token, read_token }))).toEqual(
      s2.map(({ name, token, read_token }) => ({ name, token, read_token })),
    )
    const [a, b] = await Promise.all([snapshot(one, s1.map((c) => c.customer_id)), snapshot(two, s2.map((c) => c.customer_id))])
    expect(a).toHaveLength(6000)
    expect(a).toEqual(b)
    expect(s1.map((c) => c.customer_id)).toEqual(s2.map((c) => c.customer_id))
  })

  it('is idempotent by customer name: a second run adds nothing and returns the same customers', async () => {
    const first = await seedDatabase(one, options)
    const again = await seedDatabase(one, options)
    expect(again).toEqual(first)
    const counts = await Promise.all(first.map((c) => claimsTenant(one, c.customer_id).read(({ db }) => db.selectFrom('claim_records').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow())))
    expect(counts.map((c) => Number(c.n))).toEqual([3000, 3000])
  })

  it('issues a read-write and a read-only key per customer', async () => {
    const [c] = await seedDatabase(one, options)
    if (!c) throw new Error('no customer')
    expect(Object.keys(c)).toEqual(['customer_id', 'name', 'token', 'read_token'])
    expect(await resolveApiKey(one, c.token)).toMatchObject({ customerId: c.customer_id, scopes: ['read', 'write'] })
    expect(await resolveApiKey(one, c.read_token)).toMatchObject({ customerId: c.customer_id, scopes: ['read'] })
  })

  it('is realistic: a dozen payers, dozens of CPT codes, 13+ months, every status, cents, reasons for denials, finished uploads', async () => {
    const [c] = await seedDatabase(one, options)
    if (!c) throw new Error('no customer')
    const stats = await claimsTenant(one, c.customer_id).read(async ({ db }) => {
      const { rows } = await sql<{ payers: number; cpts: number; first: string; last: string; statuses: number; denied_without_reason: number; reason_without_denial: number; with_cents: number }>`
        select count(distinct payer_name)::int as payers, count(distinct cpt_code)::int as cpts,
               min(service_date)::text as first, max(service_date)::text as last,
               count(distinct status)::int as statuses,
               count(*) filter (where status = 'denied' and denial_reason is null)::int as denied_without_reason,
               count(*) filter (where status <> 'denied' and denial_reason is not null)::int as reason_without_denial,
               count(*) filter (where billed_amount <> trunc(billed_amount))::int as with_cents
        from ${sql.id(one.schema, 'claim_records')}`.execute(db)
      const uploads = await db.selectFrom('uploads').selectAll().execute()
      const row = rows[0]
      if (!row) throw new Error('no stats')
      return { ...row, uploads }
    })
    expect(stats.payers).toBeGreaterThanOrEqual(10)
    expect(stats.cpts).toBeGreaterThanOrEqual(24)
    expect(stats.first <= '2025-05-31').toBe(true) // 13 months before as_of
    expect(stats.last).toBe('2026-06-29')
    expect(stats.statuses).toBe(4)
    expect(stats.denied_without_reason).toBe(0)
    expect(stats.reason_without_denial).toBe(0)
    expect(Number(stats.with_cents)).toBeGreaterThan(2000)
    const ok = stats.uploads.filter((u) => u.status === 'success')
    expect(ok.length).toBeGreaterThanOrEqual(3)
    expect(ok.reduce((s, u) => s + (u.row_count ?? 0), 0)).toBe(3000)
    for (const u of stats.uploads) expect(u.processing_started_at! <= u.processing_completed_at!).toBe(true)
  })

  it('plants a denial-rate rise for the drift payer in the last 30 days', async () => {
    const big = await createTestDatabase()
    try {
      const [c] = await seedDatabase(big, { customers: 1, claimsPerCustomer: 40_000, seed: 3, asOf: '2026-06-30', driftPayer: 'Aetna' })
      const rates = await claimsTenant(big, c!.customer_id).read(async ({ db }) => {
        const { rows } = await sql<{ recent: boolean; rate: number }>`
          select service_date >= date '2026-05-31' as recent,
                 avg((status = 'denied')::int)::float8 as rate
          from ${sql.id(big.schema, 'claim_records')}
          where payer_name = 'Aetna' and status <> 'submitted' and service_date >= date '2026-02-28'
          group by 1`.execute(db)
        return Object.fromEntries(rows.map((r) => [String(r.recent), r.rate]))
      })
      expect(rates.true! - rates.false!).toBeGreaterThan(0.1)
    } finally {
      await big.destroy()
    }
  })
})

describe('parseSeedArgs', () => {
  it('parses the contract command line', () => {
    expect(parseSeedArgs(['--', '--customers', '10', '--claims-per-customer', '100000', '--seed', '1'])).toEqual({
      customers: 10,
      claimsPerCustomer: 100000,
      seed: 1,
      schema: 'upstream',
      driftPayer: undefined,
      asOf: undefined,
      jobs: 2,
    })
    expect(parseSeedArgs(['--drift-payer', PAYERS[0]!.name, '--as-of', '2026-01-31']).driftPayer).toBe(PAYERS[0]!.name)
  })

  it.each([
    [['--customers', 'ten'], /--customers must be an integer/],
    [['--customers', '0'], /--customers must be between 1/],
    [['--claims-per-customer=-5'], /--claims-per-customer must be between 0/],
    [['--seed', '1.5'], /--seed must be an integer/],
    [['--as-of', '2026-02-30'], /--as-of must be a real date/],
    [['--drift-payer', 'Nobody'], /--drift-payer must be one of/],
    [['--schema', 'Bad-Name'], /--schema must be a lowercase/],
    [['--custmers', '3'], /Unknown option/],
    [['--jobs', '0'], /--jobs must be between 1 and 16/],
    [['--customers'], /argument missing|--customers/],
  ])('refuses %j with a clear message', (argv, message) => {
    expect(() => parseSeedArgs(argv)).toThrow(SeedArgsError)
    expect(() => parseSeedArgs(argv)).toThrow(message)
  })
})
