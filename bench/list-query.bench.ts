import type { ClaimRecord, ClaimsDatabase } from '../src/claims/index.js'
/**
 * List queries on the seeded bench schema (10 tenants x 100,000 claims), one tenant:
 * 1. the claims list through the library next to a hand-written `pg` replay of the same SQL;
 * 2. cursor pages at depth 1, 1,000 and 10,000 (page_size 10, so depth 10,000 is the last page);
 * 3. page-number pages at the same depths, with exact and with estimated counts;
 * 4. `search=<payer>` through the search view and its trigram GIN index (one, on the joined search
 *    fields, since claims migration 0010) next to the same search as a
 *    plain ILIKE on the table (which row-level security keeps out of any index: a scan of the tenant);
 * 5. a repeated first page with the count cache next to without.
 */
import { sql, type LogEvent } from 'kysely'
import pg from 'pg'
import { createDatabase } from '../src/db/create-database.js'
import { encodeCursor } from '../src/list-query/cursor-codec.js'
import { listCursorBinding, runList, type RunListOptions } from '../src/list-query/run-list.js'
import { createMemoryCountCache } from '../src/list-query/count-cache.js'
import { claimsListSpec } from '../src/claims/lists/claims-list-spec.js'
import { listClaims } from '../src/claims/lists/list-claims.js'
import { tenantScopeKey } from '../src/list-query/run-tenant-list.js'
import { claimsTenant } from '../src/claims/index.js'
import type { BenchContext } from './support/bench-context.js'
import { measureInterleaved } from './support/measure-interleaved.js'
import type { Measurement } from './support/measure.js'

const SECRET = 'bench-cursor-secret-0123456789'
const BASE = 'https://bench.test/api/v1/claims/'

export default async function listQueryBench(ctx: BenchContext): Promise<void> {
  const customer = ctx.customers[0]
  if (!customer) throw new Error('no bench customers')
  const upstream = ctx.upstream
  const tenant = claimsTenant(upstream, customer.customer_id)
  const url = (qs: string) => `${BASE}?${qs}`
  const claims = (qs: string, options: Partial<Parameters<typeof listClaims>[2]> = {}) =>
    listClaims(tenant, new URLSearchParams(qs), { url: url(qs), cursorSecret: SECRET, countCache: false, ...options })
  await sql`analyze ${sql.id(upstream.schema, 'claim_records')}`.execute(upstream.db)

  // 1. library vs hand-written pg, same SQL: capture every statement of one request, replay it on a pg client.
  const pool = new pg.Pool({ connectionString: ctx.url, max: 2 })
  try {
    const requests = [
      ['page-number page (status=paid, -billed_amount, 50 rows + count)', 'status=paid&ordering=-billed_amount&page_size=50'],
      ['cursor first page (status=paid, 50 rows, no count)', 'status=paid&pagination=cursor&page_size=50'],
    ] as const
    for (const [title, qs] of requests) {
      const captured: { sql: string; parameters: readonly unknown[] }[] = []
      const capture = await createDatabase<ClaimsDatabase>({ connectionString: ctx.url, schema: upstream.schema, log: (e: LogEvent) => void captured.push({ sql: e.query.sql, parameters: e.query.parameters }) })
      try {
        await listClaims(claimsTenant(capture, customer.customer_id), new URLSearchParams(qs), { url: url(qs), countCache: false, cursorSecret: SECRET })
      } finally {
        await capture.destroy()
      }
      console.log(`library statements per request (replayed by the pg baseline):\n  ${captured.map((c) => c.sql.slice(0, 150)).join('\n  ')}`)
      const replay = async () => {
        const client = await pool.connect()
        try {
          for (const c of captured) await client.query(c.sql, c.parameters as unknown[])
        } finally {
          client.release()
        }
      }
      const overhead = await measureInterleaved({ 'pg, same SQL': replay, library: () => claims(qs) }, { rounds: 10, runsPerRound: 10, warmup: 10 })
      console.log(`\n1. claims list ${title}`)
      ctx.report(overhead, 'pg, same SQL')
    }
  } finally {
    await pool.end()
  }

  // 2. cursor pages at depth 1, 1,000, 10,000 (page_size 10, default ordering -service_date)
  const pageSize = 10
  const depths = [1, 1000, 10_000]
  const cursorQuery = claimsListSpec.parse({ pagination: 'cursor', page_size: String(pageSize) })
  const binding = listCursorBinding(claimsListSpec.settings, cursorQuery, tenantScopeKey(upstream, customer.customer_id))
  const cursorAt = async (depth: number): Promise<string | undefined> => {
    if (depth === 1) return undefined
    const row = await tenant.read(({ db }) =>
      db
        .selectFrom('claim_records')
        .select([sql<string>`service_date::text`.as('d'), sql<string>`id::text`.as('i')])
        .where('customer_id', '=', customer.customer_id)
        .orderBy('service_date', 'desc')
        .orderBy('id', 'desc')
        .offset((depth - 1) * pageSize - 1)
        .limit(1)
        .executeTakeFirstOrThrow(),
    )
    return encodeCursor({ v: [row.d, row.i], d: 'n', b: binding }, SECRET)
  }
  const cursorVariants: Record<string, () => Promise<unknown>> = {}
  for (const depth of depths) {
    const cursor = await cursorAt(depth)
    const qs = cursor ? `pagination=cursor&page_size=${pageSize}&cursor=${cursor}` : `pagination=cursor&page_size=${pageSize}`
    const page = await claims(qs)
    if (page.results.length !== pageSize) throw new Error(`cursor page at depth ${depth} has ${page.results.length} rows`)
    cursorVariants[`cursor page ${depth}`] = () => claims(qs)
  }
  console.log(`\n2. cursor pages (page_size ${pageSize})`)
  ctx.report(await measureInterleaved(cursorVariants, { rounds: 8, runsPerRound: 10, warmup: 5 }), 'cursor page 1')

  // 3. page-number at the same depths, exact and estimated counts (threshold 10,000)
  const pageVariants: Record<string, () => Promise<unknown>> = {}
  for (const depth of depths) {
    const qs = `page_size=${pageSize}&page=${depth}`
    pageVariants[`page ${depth}, exact count`] = () => claims(qs, { count: { kind: 'exact' } })
    pageVariants[`page ${depth}, estimated count`] = () => claims(qs, { count: { kind: 'estimated', threshold: 10_000 } })
  }
  const est = await claims(`page_size=${pageSize}`, { count: { kind: 'estimated', threshold: 10_000 } })
  console.log(`\n3. page-number pages (page_size ${pageSize}); estimated count = ${'count' in est ? est.count : '?'} (exact 100000)`)
  ctx.report(await measureInterleaved(pageVariants, { rounds: 5, runsPerRound: 5, warmup: 3 }), 'page 1, exact count')

  // 4. search through the trigram GIN index vs a plain ILIKE scan (bitmap scans off: no GIN)
  for (const payer of ['Molina', 'Aetna']) {
    const qs = `search=${payer}&page_size=50`
    const query = claimsListSpec.parse(new URLSearchParams(qs))
    const options: RunListOptions<ClaimsDatabase, 'claim_records', ClaimRecord> = {
      url: url(qs),
      scope: { key: tenantScopeKey(upstream, customer.customer_id), apply: (qb) => qb.where(sql.ref('customer_id'), '=', customer.customer_id) },
      countEstimateFunction: `${upstream.schema}.count_estimate`,
    }
    const viaIndex = () => tenant.read(({ db }) => runList(db, claimsListSpec, query, options))
    // The same search as a plain ILIKE on the table (no search view): under row-level security
    // PostgreSQL cannot use an index for it, so it scans the tenant's rows.
    const plainSpec = { ...claimsListSpec, settings: { ...claimsListSpec.settings, searchVia: undefined } }
    const scan = () => tenant.read(({ db }) => runList(db, plainSpec, query, options))
    const a = (await viaIndex()) as { count: number }
    const b = (await scan()) as { count: number }
    if (a.count !== b.count) throw new Error('search variants disagree')
    // the search view's condition as the list writes it (one joined column since claims migration 0010)
    const viaPlan = await tenant.read(({ db }) =>
      sql<Record<string, string>>`explain select id from ${sql.id(upstream.schema, 'claim_records_search')} where ${sql.ref(claimsListSpec.settings.searchVia?.column ?? 'payer_name')} ilike ${`%${payer}%`}`.execute(db),
    )
    const uses = viaPlan.rows.some((r) => /trgm_idx/.test(Object.values(r).join('')))
    console.log(`\n4. search=${payer} (${a.count} matches; first page + count; GIN trigram index in plan: ${uses})`)
    ctx.report(await measureInterleaved({ 'plain ILIKE scan': scan, 'trigram index': viaIndex }, { rounds: 5, runsPerRound: 5, warmup: 3 }), 'trigram index')
  }

  // 5. repeated first page: count cache vs none (exact count of 100,000 rows)
  const cache = createMemoryCountCache()
  const results: Measurement[] = await measureInterleaved(
    {
      'no count cache': () => claims('page_size=50', { count: { kind: 'exact' } }),
      'memory count cache': () => claims('page_size=50', { count: { kind: 'exact' }, countCache: cache }),
    },
    { rounds: 8, runsPerRound: 10, warmup: 5 },
  )
  console.log('\n5. repeated first page (exact count of 100,000 rows)')
  ctx.report(results, 'memory count cache')
}
