import type { ClaimsDatabase } from '../../src/claims/index.js'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDatabase } from '../../src/db/create-database.js'
import { CheckViolationError, StatementTimeoutError } from '../../src/errors/database-errors.js'
import { TransactionAbortedError } from '../../src/errors/transaction-aborted-error.js'
import { ValidationError } from '../../src/errors/validation-error.js'
import { createCustomer } from '../../src/tenancy/create-customer.js'
import { claimsTenant } from '../../src/claims/index.js'
import { runInTransaction } from '../../src/transactions/run-in-transaction.js'
import { createTestDatabase, testDatabaseUrl, type TestDatabase } from '../support/test-database.js'

let upstream: TestDatabase

beforeAll(async () => {
  upstream = await createTestDatabase()
})
afterAll(async () => upstream?.destroy())

const settingsOf = (names: string[]) =>
  sql<Record<string, string>>`select ${sql.join(names.map((n, i) => sql`current_setting(${n}, true) as ${sql.id(`s${i}`)}`))}`

describe('runInTransaction', () => {
  it('applies isolation, access mode, timeouts and settings locally, and they end with the transaction', async () => {
    const inside = await runInTransaction(
      upstream.db,
      async (trx) => (await settingsOf(['transaction_isolation', 'transaction_read_only', 'lock_timeout', 'statement_timeout', 'upstream.customer_id']).execute(trx)).rows[0],
      { isolation: 'repeatable read', readOnly: true, lockTimeoutMs: 1234, statementTimeoutMs: 5678 },
      { 'upstream.customer_id': '42' },
    )
    expect(inside).toEqual({ s0: 'repeatable read', s1: 'on', s2: '1234ms', s3: '5678ms', s4: '42' })
    const after = (await settingsOf(['lock_timeout', 'upstream.customer_id']).execute(upstream.db)).rows[0]
    expect(after?.s0).not.toBe('1234ms')
    expect(after?.s1 ?? '').toBe('')
  })

  it('on pg, a tenant read is three round trips: start + settings in one, the query, commit', async () => {
    const statements: string[] = []
    const logged = await createDatabase<ClaimsDatabase>({
      connectionString: testDatabaseUrl(),
      schema: upstream.schema,
      log: (event) => void statements.push(event.query.sql),
    })
    try {
      const tenant = claimsTenant(logged, (await createCustomer(upstream, 'Round trips')).id)
      statements.length = 0
      await tenant.read(({ uploads }) => uploads.findById(1))
      expect(statements).toHaveLength(3)
      expect(statements[0]).toMatch(/^start transaction isolation level read committed read only; select set_config\('upstream.customer_id', '\d+', true\), set_config\('role', 'upstream_runtime', true\)/)
      expect(statements[2]).toBe('commit')
    } finally {
      await logged.destroy()
    }
  })

  it('passes values that are not plain tokens as parameters, verbatim', async () => {
    const value = `it's; drop table x; --\\`
    const got = await runInTransaction(upstream.db, async (trx) => (await settingsOf(['upstream.note']).execute(trx)).rows[0]?.s0, {}, { 'upstream.note': value })
    expect(got).toBe(value)
  })

  it('a failing start (unknown role) rolls back and leaves the pool usable', async () => {
    await expect(runInTransaction(upstream.db, async () => 1, {}, { role: 'no_such_role_xyz' })).rejects.toMatchObject({ code: '22023' })
    const { rows } = await sql<{ in_tx: boolean }>`select now() = statement_timestamp() as in_tx`.execute(upstream.db)
    expect(rows).toEqual([{ in_tx: true }]) // not stuck inside an aborted transaction
  })

  it('refuses to report a commit that PostgreSQL turned into a rollback (error swallowed by the work)', async () => {
    const tenant = claimsTenant(upstream, (await createCustomer(upstream, 'Aborted')).id)
    const real = await tenant
      .transaction(async ({ db, uploads }) => {
        await uploads.create({ filename: 'lost.csv' })
        await sql`select 1/0`.execute(db).catch(() => undefined) // a swallowed SQL error aborts the transaction
        return 'done'
      })
      .catch((e: unknown) => e)
    expect(real).toBeInstanceOf(TransactionAbortedError)
    expect(await tenant.read(({ db }) => db.selectFrom('uploads').select('id').where('filename', '=', 'lost.csv').execute())).toEqual([])
  })

  it('classifies errors of the work and validates its options', async () => {
    await expect(runInTransaction(upstream.db, (trx) => sql`select pg_sleep(1)`.execute(trx), { statementTimeoutMs: 50 })).rejects.toBeInstanceOf(
      StatementTimeoutError,
    )
    const tenant = claimsTenant(upstream, (await createCustomer(upstream, 'Checks')).id)
    await expect(tenant.transaction(({ uploads }) => uploads.create({ filename: 'x', row_count: -5 }))).rejects.toBeInstanceOf(CheckViolationError)
    await expect(runInTransaction(upstream.db, async () => 1, { maxAttempts: 0 })).rejects.toBeInstanceOf(ValidationError)
    await expect(runInTransaction(upstream.db, async () => 1, { lockTimeoutMs: -1 })).rejects.toBeInstanceOf(ValidationError)
    await expect(runInTransaction(upstream.db, async () => 1, { isolation: 'chaos' as never })).rejects.toBeInstanceOf(ValidationError)
  })
})
