import { Migrator, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedDatabase } from '../../scripts/seed/index.js'
import { claimsMigrations, claimsTenant, createDatabase, detectDrift, listClaims, migrateToLatest, type ClaimsDatabase, type UpstreamDatabase } from '../support/upstream.js'
import { testDatabaseUrl, uniqueSchemaName } from '../support/test-database.js'
// The four migrations of the first layout, frozen as they shipped (one history, `kysely_migration`).
import { UpstreamMigrationProvider } from './turn-one-migrations/index.js'

const TABLES = ['customers', 'api_keys', 'uploads', 'claim_records', 'drift_reports', 'drift_events', 'data_versions'] as const
const AS_OF = '2026-06-30'

let legacy: UpstreamDatabase<ClaimsDatabase>
let fresh: UpstreamDatabase<ClaimsDatabase>

/** Migrates a schema exactly as the first layout's migrateToLatest did. */
async function migrateFirstLayout(upstream: UpstreamDatabase<ClaimsDatabase>): Promise<string[]> {
  // Kysely's migrator as it was, inside one explicit transaction on one connection: its session-level
  // lock and unlock then land on the same server session, also through PgBouncer in transaction mode.
  return upstream.db
    .withoutPlugins()
    .connection()
    .execute(async (db) => {
      await sql`begin`.execute(db)
      const migrator = new Migrator({
        db,
        provider: new UpstreamMigrationProvider({ schema: upstream.schema, runtimeRole: upstream.runtimeRole }),
        migrationTableSchema: upstream.schema,
        disableTransactions: true,
      })
      const { error, results } = await migrator.migrateToLatest()
      await sql.raw(error ? 'rollback' : 'commit').execute(db)
      if (error) throw error
      return (results ?? []).map((r) => r.migrationName)
    })
}

async function rowCounts(upstream: UpstreamDatabase<ClaimsDatabase>): Promise<Record<string, number>> {
  const counts: Record<string, number> = {}
  for (const table of TABLES) {
    // as the owner (a superuser here): every tenant's rows
    const r = await sql<{ n: string }>`select count(*)::text as n from ${sql.id(upstream.schema, table)}`.execute(upstream.db)
    counts[table] = Number(r.rows[0]?.n)
  }
  return counts
}

/** Every row of every table, as text, in key order: the data, not just its size. */
async function contents(upstream: UpstreamDatabase<ClaimsDatabase>): Promise<string> {
  const parts: string[] = []
  for (const table of TABLES) {
    const r = await sql<{ t: string }>`select string_agg(x::text, E'\n' order by x::text) as t from ${sql.id(upstream.schema, table)} x`.execute(upstream.db)
    parts.push(`${table}:${r.rows[0]?.t ?? ''}`)
  }
  return parts.join('\n')
}

/** What a schema is made of: columns, constraints, indexes, policies, triggers, functions, views, RLS flags and the runtime role's grants. */
async function catalog(upstream: UpstreamDatabase<ClaimsDatabase>): Promise<Record<string, string[]>> {
  const s = upstream.schema
  const q = async (query: ReturnType<typeof sql<{ x: string }>>) => (await query.execute(upstream.db)).rows.map((r) => r.x).sort()
  return {
    columns: await q(sql<{ x: string }>`select table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '') as x from information_schema.columns where table_schema = ${s} and table_name not like '%migration%'`),
    constraints: await q(sql<{ x: string }>`select c.conrelid::regclass::text || ' ' || c.conname || ' ' || pg_get_constraintdef(c.oid) as x from pg_constraint c join pg_namespace n on n.oid = c.connamespace where n.nspname = ${s} and c.conrelid::regclass::text not like '%migration%'`),
    indexes: await q(sql<{ x: string }>`select indexname || ' ' || replace(indexdef, ${s}, 'S') as x from pg_indexes where schemaname = ${s} and tablename not like '%migration%'`),
    policies: await q(sql<{ x: string }>`select tablename || '.' || policyname || ' ' || cmd || ' ' || coalesce(qual, '') || ' ' || coalesce(with_check, '') as x from pg_policies where schemaname = ${s}`),
    triggers: await q(sql<{ x: string }>`select t.tgrelid::regclass::text || ' ' || t.tgname as x from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace where n.nspname = ${s} and not t.tgisinternal`),
    functions: await q(sql<{ x: string }>`select p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' as x from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = ${s}`),
    views: await q(sql<{ x: string }>`select table_name as x from information_schema.views where table_schema = ${s}`),
    rls: await q(sql<{ x: string }>`select c.relname || ' ' || c.relrowsecurity || ' ' || c.relforcerowsecurity as x from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = ${s} and c.relkind = 'r' and c.relname not like '%migration%'`),
    grants: await q(sql<{ x: string }>`select table_name || ' ' || privilege_type as x from information_schema.role_table_grants where table_schema = ${s} and grantee = ${upstream.runtimeRole}`),
  }
}

beforeAll(async () => {
  legacy = await createDatabase<ClaimsDatabase>({ connectionString: testDatabaseUrl(), schema: uniqueSchemaName('legacy') })
  fresh = await createDatabase<ClaimsDatabase>({ connectionString: testDatabaseUrl(), schema: uniqueSchemaName('fresh') })
})
afterAll(async () => {
  for (const upstream of [legacy, fresh]) {
    if (!upstream) continue
    await sql`drop schema if exists ${sql.id(upstream.schema)} cascade`.execute(upstream.db)
    await upstream.destroy()
  }
})

describe('a database made by the first layout (migrations 0001-0004)', () => {
  it('moves to the migration sets with every row intact, and ends up as a fresh database would', async () => {
    expect(await migrateFirstLayout(legacy)).toEqual(['0001-initial-schema', '0002-search-indexes', '0003-drift-covering-index', '0004-upload-status-transitions'])
    const [drifted] = await seedDatabase(legacy, { customers: 3, claimsPerCustomer: 1500, seed: 8, asOf: AS_OF, driftPayer: 'Aetna' })
    const detection = await detectDrift(claimsTenant(legacy, drifted!.customer_id), { as_of: AS_OF })
    // one event of the report (whether the seeded shift is significant does not matter here)
    await claimsTenant(legacy, drifted!.customer_id).transaction(({ db, customerId }) =>
      db.insertInto('drift_events').values({
        customer_id: customerId, report_id: detection.report.id, payer_name: 'Aetna', cpt_code: null, metric: 'denial_rate',
        baseline_value: 0.1, current_value: 0.3, delta: 0.2, baseline_n: 500, current_n: 80, p_value: 0.001, adjusted_p_value: 0.004, severity: 'high',
      }).execute(),
    )
    const before = await rowCounts(legacy)
    const dataBefore = await contents(legacy)
    for (const table of TABLES) expect(before[table], table).toBeGreaterThan(0)

    const applied = await migrateToLatest(legacy, { sets: [claimsMigrations] })
    // the core's first two migrations were done by the first layout: recorded, not run
    expect(applied).toEqual(['core/0003-tenant-data-version-trigger', 'core/0004-distributed-count-estimate', 'core/0005-cached-key-lookup', 'claims/0008-abandoned-upload-sweep', 'claims/0009-background-jobs', 'claims/0010-index-budget'])
    const after = await rowCounts(legacy)
    console.info(`[first-layout upgrade] rows before ${JSON.stringify(before)}\n[first-layout upgrade] rows after  ${JSON.stringify(after)}`)
    expect(after).toEqual(before)
    expect(await contents(legacy)).toBe(dataBefore)
    expect(await migrateToLatest(legacy, { sets: [claimsMigrations] })).toEqual([])

    const histories = await sql<{ core: string | null; claims: string | null; old: string | null }>`
      select to_regclass(${`${legacy.schema}.core_migration`})::text as core, to_regclass(${`${legacy.schema}.claims_migration`})::text as claims,
             to_regclass(${`${legacy.schema}.kysely_migration`})::text as old`.execute(legacy.db)
    expect(histories.rows[0]).toMatchObject({ old: null })
    expect(histories.rows[0]?.core).toBeTruthy()
    expect(histories.rows[0]?.claims).toBeTruthy()

    expect(await migrateToLatest(fresh, { sets: [claimsMigrations] })).toEqual([
      'core/0001-tenants-and-api-keys',
      'core/0002-data-versions',
      'core/0003-tenant-data-version-trigger',
      'core/0004-distributed-count-estimate',
      'core/0005-cached-key-lookup',
      'claims/0001-initial-schema',
      'claims/0002-search-indexes',
      'claims/0003-drift-covering-index',
      'claims/0004-upload-status-transitions',
      'claims/0008-abandoned-upload-sweep',
      'claims/0009-background-jobs',
      'claims/0010-index-budget',
    ])
    const [upgraded, made] = await Promise.all([catalog(legacy), catalog(fresh)])
    const neutral = (c: Record<string, string[]>, schema: string) => JSON.parse(JSON.stringify(c).replaceAll(schema, 'S')) as Record<string, string[]>
    expect(neutral(upgraded, legacy.schema)).toEqual(neutral(made, fresh.schema))

    // and the data still answers through the claims domain, counts cached on data_versions
    const tenant = claimsTenant(legacy, drifted!.customer_id)
    const page = await listClaims(tenant, new URLSearchParams('status=paid&page_size=5'), { url: 'http://localhost/claims/' })
    expect(page.results).toHaveLength(5)
    expect('count' in page && page.count).toBe(await tenant.read(async ({ db }) => Number((await db.selectFrom('claim_records').select((e) => e.fn.countAll().as('n')).where('status', '=', 'paid').executeTakeFirstOrThrow()).n)))
  })
})
