import { sql, type Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { assertTenantIsolation, checkTenantIsolation, TenantIsolationError, type IsolatedTable } from '../../src/testing/index.js'
import { tenantTable } from '../../src/tenancy/index.js'
import type { ClaimsDatabase } from '../support/upstream.js'
import { createTestDatabase, type TestDatabase } from '../support/test-database.js'

let upstream: TestDatabase

const upload = (db: Kysely<ClaimsDatabase>, customerId: number) =>
  db.insertInto('uploads').values({ customer_id: customerId, filename: 'probe.csv', status: 'success', row_count: 1 }).returning('id').executeTakeFirstOrThrow()
const report = (db: Kysely<ClaimsDatabase>, customerId: number) =>
  db
    .insertInto('drift_reports')
    .values({
      customer_id: customerId, as_of: '2026-06-30', baseline_start: '2026-03-02', baseline_end: '2026-05-31', current_start: '2026-05-31', current_end: '2026-06-30',
      group_by: 'payer', min_claims: 30, alpha: 0.05, groups_tested: 0, events_count: 0, duration_ms: 0,
    })
    .returning('id')
    .executeTakeFirstOrThrow()

const claimsTables: IsolatedTable<ClaimsDatabase>[] = [
  {
    table: 'api_keys',
    // a token names its tenant: its hash is unique across tenants on purpose
    globalKeys: ['api_keys_key_hash_key'],
    sample: (db, id) => db.insertInto('api_keys').values({ customer_id: id, key_hash: 'a'.repeat(64), label: 'probe' }).execute(),
  },
  { table: 'uploads', sample: upload },
  {
    table: 'claim_records',
    sample: async (db, id) => {
      const { id: uploadId } = await upload(db, id)
      await db.insertInto('claim_records').values({ customer_id: id, upload_id: uploadId, claim_number: 'C1', payer_name: 'Aetna', cpt_code: '99213', service_date: '2026-06-01', billed_amount: '100.00', status: 'paid' }).execute()
    },
  },
  { table: 'drift_reports', sample: report },
  {
    table: 'drift_events',
    sample: async (db, id) => {
      const { id: reportId } = await report(db, id)
      await db.insertInto('drift_events').values({
        customer_id: id, report_id: reportId, payer_name: 'Aetna', cpt_code: null, metric: 'denial_rate', baseline_value: 0.1, current_value: 0.2,
        delta: 0.1, baseline_n: 100, current_n: 50, p_value: 0.01, adjusted_p_value: 0.02, severity: 'medium',
      }).execute()
    },
  },
  { table: 'data_versions', sample: (db, id) => db.insertInto('data_versions' as never).values({ customer_id: id } as never).execute() },
]

/** A small table with a tenant column, as an app would write one (grants included, so only the rule under test differs). */
async function makeTable(name: string, keys: string): Promise<void> {
  const s = sql.id(upstream.schema)
  await sql`create table ${s}.${sql.id(name)} (
      customer_id bigint not null references ${s}.customers (id) on delete cascade,
      id bigint generated always as identity,
      sku text not null,
      ${sql.raw(keys)}
    )`.execute(upstream.db)
  await sql`grant select, insert, update, delete on ${s}.${sql.id(name)} to ${sql.id(upstream.runtimeRole)}`.execute(upstream.db)
  await sql`grant usage on all sequences in schema ${s} to ${sql.id(upstream.runtimeRole)}`.execute(upstream.db)
}
const sampleOf = (table: string) => (db: Kysely<ClaimsDatabase>, id: number) => sql`insert into ${sql.id(upstream.schema, table)} (customer_id, sku) values (${id}, 'probe')`.execute(db)

beforeAll(async () => {
  upstream = await createTestDatabase()
  const s = sql.id(upstream.schema)
  const ctx = { schema: upstream.schema, runtimeRole: upstream.runtimeRole }
  // RLS off: no tenantTable at all
  await makeTable('rls_off', 'primary key (customer_id, id)')
  // RLS on with the policy, but not forced
  await makeTable('not_forced', 'primary key (customer_id, id)')
  await sql`alter table ${s}.not_forced enable row level security`.execute(upstream.db)
  await sql`create policy tenant_isolation on ${s}.not_forced using (customer_id = nullif(current_setting('upstream.customer_id', true), '')::bigint)`.execute(upstream.db)
  // everything tenantTable does, but keys not led by the tenant column
  await makeTable('bad_keys', 'primary key (id), unique (sku)')
  await tenantTable(upstream.db, 'bad_keys', ctx)
  // everything right, plus a second permissive policy that opens it
  await makeTable('leaky', 'primary key (customer_id, id)')
  await tenantTable(upstream.db, 'leaky', ctx)
  await sql`create policy everyone_reads on ${s}.leaky for select using (true)`.execute(upstream.db)
  // everything right
  await makeTable('sound', 'primary key (customer_id, id), unique (customer_id, sku)')
  await tenantTable(upstream.db, 'sound', ctx)
})
afterAll(async () => {
  await upstream?.destroy()
})

describe('checkTenantIsolation', () => {
  it('passes the claims domain\'s tables, catalog and probe', async () => {
    const result = await assertTenantIsolation(upstream, claimsTables)
    expect(result.probed).toEqual(claimsTables.map((t) => t.table))
    expect(result.failures).toEqual([])
  })

  it('passes a table put under the tenant by tenantTable with keys led by the tenant column', async () => {
    const result = await checkTenantIsolation(upstream, [{ table: 'sound', sample: sampleOf('sound') }])
    expect(result.failures).toEqual([])
    expect(result.probed).toEqual(['sound'])
  })

  it('fails a table with RLS off, one not forced, one with keys not led by the tenant column, and a leaky policy, naming table and rule', async () => {
    const tables = ['rls_off', 'not_forced', 'bad_keys', 'leaky'].map((table) => ({ table, sample: sampleOf(table) }))
    const result = await checkTenantIsolation(upstream, tables)
    const rules = (table: string) => result.failures.filter((f) => f.table === table).map((f) => f.rule)
    expect(rules('rls_off')).toEqual(['rls-enabled', 'rls-forced', 'policy', 'probe-read', 'probe-write', 'probe-write'])
    expect(rules('not_forced')).toEqual(['rls-forced'])
    expect(rules('bad_keys')).toEqual(['key', 'key', 'tenant-index'])
    expect(rules('leaky')).toEqual(['permissive-policy', 'probe-read'])
    for (const f of result.failures) expect(f.message.startsWith(`${f.table} [${f.rule}]: `)).toBe(true)
    const error = await assertTenantIsolation(upstream, tables).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TenantIsolationError)
    console.info(String((error as Error).message))
  })

  it('names a table that is not in the library\'s schema', async () => {
    const result = await checkTenantIsolation(upstream, ['products'])
    expect(result.failures).toEqual([{ table: 'products', rule: 'table', message: `products [table]: no table ${upstream.schema}.products: tenant tables live in the library's schema (${upstream.schema}).` }])
  })
})
