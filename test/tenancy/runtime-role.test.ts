import type { ClaimsDatabase } from '../../src/claims/index.js'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDatabase } from '../../src/db/create-database.js'
import { type UpstreamDatabase } from '../../src/db/upstream-database.js'
import { RowSecurityViolationError } from '../../src/errors/database-errors.js'
import { createCustomer } from '../../src/tenancy/create-customer.js'
import { claimsTenant } from '../../src/claims/index.js'
import { runInTransaction } from '../../src/transactions/run-in-transaction.js'
import { createTestDatabase, directTestDatabaseUrl, type TestDatabase } from '../support/test-database.js'
import { directlyBecause } from '../support/pooler.js'

const ROLE = 'upstream_it_login'
const PASSWORD = 'upstream_it_login'

let owner: TestDatabase // the suite's (superuser) connection: migrates and provisions
let runtime: UpstreamDatabase<ClaimsDatabase> // connected AS the runtime role: neither superuser nor owner
let a: number
let b: number

function urlAs(user: string, password: string): string {
  const url = new URL(directTestDatabaseUrl())
  url.username = user
  url.password = password
  return url.toString()
}

beforeAll(async () => {
  const admin = await createDatabase<ClaimsDatabase>({ connectionString: directTestDatabaseUrl(), schema: 'public' })
  try {
    await sql`do $$ begin
        create role ${sql.id(ROLE)} login password ${sql.lit(PASSWORD)} nosuperuser nobypassrls;
      exception when duplicate_object or unique_violation then null; end $$`.execute(admin.db)
    await sql`alter role ${sql.id(ROLE)} login password ${sql.lit(PASSWORD)} nosuperuser nobypassrls`.execute(admin.db)
  } finally {
    await admin.destroy()
  }
  owner = await createTestDatabase({ direct: true, runtimeRole: ROLE })
  a = (await createCustomer(owner, 'Runtime A')).id
  b = (await createCustomer(owner, 'Runtime B')).id
  for (const [id, n] of [[a, 3], [b, 2]] as const) {
    await claimsTenant(owner, id).transaction(async ({ uploads, claims }) => {
      const upload = await uploads.create({ filename: `${id}.csv` })
      await claims.insertMany(
        Array.from({ length: n }, (_, i) => ({
          upload_id: upload.id,
          claim_number: `C-${i}`,
          payer_name: 'Medicare',
          cpt_code: '99213',
          service_date: '2026-02-01',
          billed_amount: '100.00',
          status: 'paid' as const,
        })),
      )
    })
  }
  runtime = await createDatabase<ClaimsDatabase>({ connectionString: urlAs(ROLE, PASSWORD), schema: owner.schema, runtimeRole: ROLE })
})
afterAll(async () => {
  await runtime?.destroy()
  await owner?.destroy()
})

const claimsTable = () => sql.id(owner.schema, 'claim_records')

describe(`connected as the runtime role (not superuser, not owner)${directlyBecause("it logs in as a role of its own, which the CI PgBouncer's auth_file does not list")}`, () => {
  it('really is neither a superuser nor the owner of the tables', async () => {
    const { rows } = await sql<{ user: string; super: boolean; owner: string }>`
      select current_user as user, r.rolsuper as super, t.tableowner as owner
      from pg_roles r, pg_tables t
      where r.rolname = current_user and t.schemaname = ${owner.schema} and t.tablename = 'claim_records'`.execute(runtime.db)
    expect(rows).toEqual([{ user: ROLE, super: false, owner: expect.not.stringMatching(ROLE) }])
  })

  it("a raw query with no tenant filter, inside tenant A's transaction, sees only A's rows", async () => {
    const rows = await claimsTenant(runtime, a).transaction(async ({ db }) => {
      const { rows } = await sql<{ customer_id: number }>`select * from ${claimsTable()}`.execute(db)
      return rows.map((r) => r.customer_id)
    })
    expect(rows).toEqual([a, a, a])
    const rowsB = await claimsTenant(runtime, b).read(async ({ db }) => (await sql<{ n: number }>`select count(*)::int as n from ${claimsTable()}`.execute(db)).rows)
    expect(rowsB).toEqual([{ n: 2 }])
  })

  it('outside any tenant transaction it sees no rows at all (fails closed)', async () => {
    const bare = await sql<{ n: number }>`select count(*)::int as n from ${claimsTable()}`.execute(runtime.db)
    expect(bare.rows).toEqual([{ n: 0 }])
    const inPlainTransaction = await runInTransaction(runtime.db, (trx) =>
      sql<{ n: number }>`select count(*)::int as n from ${sql.id(owner.schema, 'uploads')}`.execute(trx),
    )
    expect(inPlainTransaction.rows).toEqual([{ n: 0 }])
    // the tenant setting did not leak onto the pooled connection after a tenant transaction
    await claimsTenant(runtime, a).read(({ db }) => db.selectFrom('claim_records').select('id').execute())
    const after = await sql<{ n: number; setting: string | null }>`
      select count(*)::int as n, current_setting('upstream.customer_id', true) as setting from ${claimsTable()}`.execute(runtime.db)
    expect(after.rows[0]?.n).toBe(0)
    expect(after.rows[0]?.setting ?? '').toBe('')
  })

  it("cannot insert a row with B's customer_id inside A's transaction (WITH CHECK)", async () => {
    const uploadB = await claimsTenant(owner, b).read(({ db }) => db.selectFrom('uploads').select('id').where('customer_id', '=', b).executeTakeFirstOrThrow())
    const error = await claimsTenant(runtime, a)
      .transaction(({ db }) =>
        sql`insert into ${claimsTable()} (customer_id, upload_id, claim_number, payer_name, cpt_code, service_date, billed_amount, status)
            values (${b}, ${uploadB.id}, 'SMUGGLED', 'Aetna', '99213', '2026-02-01', 1, 'paid')`.execute(db),
      )
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RowSecurityViolationError)
    const n = await claimsTenant(owner, b).read(({ db }) => db.selectFrom('claim_records').select('id').where('claim_number', '=', 'SMUGGLED').execute())
    expect(n).toEqual([])
  })

  it("cannot move A's row to B with an UPDATE, nor touch B's rows", async () => {
    const moved = await claimsTenant(runtime, a)
      .transaction(({ db }) => sql`update ${claimsTable()} set customer_id = ${b}`.execute(db))
      .catch((e: unknown) => e)
    expect(moved).toBeInstanceOf(RowSecurityViolationError)
    const deleted = await claimsTenant(runtime, a).transaction(({ db }) =>
      sql`delete from ${claimsTable()} where customer_id = ${b}`.execute(db),
    )
    expect(deleted.numAffectedRows).toBe(0n)
  })

  it('sees only its own customers row', async () => {
    const names = await claimsTenant(runtime, a).read(({ db }) => db.selectFrom('customers').select('name').execute())
    expect(names).toEqual([{ name: 'Runtime A' }])
  })
})
