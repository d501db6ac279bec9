import { sql, type Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrateJobQueue } from '../../src/jobs/index.js'
import { createTestDatabase, type TestDatabase } from '../support/test-database.js'
import { distributionViolations } from '../support/distribution-rules.js'

// The catalog after every migration (core, claims, the job queue's door) against the Citus plan
// of docs/citus.md: customers and api_keys are reference tables, the migration history and
// job_workers stay on the coordinator, every other table is distributed by customer_id.
let upstream: TestDatabase

beforeAll(async () => {
  upstream = await createTestDatabase()
  await migrateJobQueue(upstream)
}, 120_000)

afterAll(async () => {
  await upstream?.destroy()
})

/** Runs `body` in a transaction that is always rolled back (the bad tables never stay). */
async function rolledBack<T>(body: (trx: Kysely<unknown>) => Promise<T>): Promise<T> {
  let result: T | undefined
  const rollback = new Error('rollback')
  try {
    await (upstream.db as unknown as Kysely<unknown>).transaction().execute(async (trx) => {
      result = await body(trx)
      throw rollback
    })
  } catch (error) {
    if (error !== rollback) throw error
  }
  return result as T
}

describe('distribution rules (Citus, by customer_id)', () => {
  it('every table the migrations make keeps them', async () => {
    expect(await distributionViolations(upstream.db as unknown as Kysely<unknown>, upstream.schema)).toEqual([])
  })

  it('names each way a deliberately bad tenant table breaks them', async () => {
    const violations = await rolledBack(async (trx) => {
      const s = sql.id(upstream.schema)
      // no customer_id at all
      await sql`create table ${s}.audit_notes (id bigint primary key, note text)`.execute(trx)
      // customer_id nullable and int, key without it, a unique without it, an FK to a tenant table
      // that does not pair customer_id, a unique index without it, an unknown trigger
      await sql`
        create table ${s}.bad_items (
          customer_id integer references ${s}.customers (id),
          id bigint generated always as identity primary key,
          sku text not null unique,
          upload_id bigint not null,
          foreign key (customer_id, upload_id) references ${s}.uploads (id, customer_id)
        )`.execute(trx)
      await sql`create unique index bad_items_sku_lower_idx on ${s}.bad_items (lower(sku))`.execute(trx)
      await sql`create function ${s}.touch() returns trigger language plpgsql as $$ begin return new; end $$`.execute(trx)
      await sql`create trigger bad_items_touch before update on ${s}.bad_items for each row execute function ${s}.touch()`.execute(trx)
      // a reference table pointing at a distributed one; a trigger on a reference table
      await sql`alter table ${s}.api_keys add column last_upload_id bigint`.execute(trx)
      await sql`alter table ${s}.api_keys add constraint api_keys_last_upload_fkey foreign key (customer_id, last_upload_id) references ${s}.uploads (customer_id, id)`.execute(trx)
      await sql`create trigger customers_touch before update on ${s}.customers for each row execute function ${s}.touch()`.execute(trx)
      return distributionViolations(trx, upstream.schema)
    })
    expect(violations).toEqual([
      'api_keys (reference table): foreign key api_keys_last_upload_fkey references uploads, a tenant table (Citus refuses a reference table\'s foreign key to anything but a reference table)',
      'audit_notes: no customer_id column (a tenant table is distributed by it)',
      'bad_items: customer_id is integer, not bigint (co-location needs one type)',
      'bad_items: customer_id is nullable',
      'bad_items: foreign key bad_items_customer_id_upload_id_fkey to tenant table uploads does not pair customer_id with uploads.customer_id',
      'bad_items: primary key bad_items_pkey does not include customer_id',
      'bad_items: unique constraint bad_items_sku_key does not include customer_id',
      'bad_items: unique index bad_items_sku_lower_idx does not include customer_id',
      'bad_items: trigger bad_items_touch is not one docs/citus.md accounts for (triggers on distributed tables need citus.enable_unsafe_triggers)',
      'customers (reference table): trigger customers_touch (Citus refuses triggers on reference tables)',
    ])
  })

  it('a good tenant table passes: composite keys led by customer_id, FKs pairing it', async () => {
    const violations = await rolledBack(async (trx) => {
      const s = sql.id(upstream.schema)
      await sql`
        create table ${s}.good_items (
          customer_id bigint not null references ${s}.customers (id) on delete cascade,
          id bigint generated always as identity,
          sku text not null,
          upload_id bigint,
          primary key (customer_id, id),
          unique (customer_id, sku),
          foreign key (customer_id, upload_id) references ${s}.uploads (customer_id, id)
        )`.execute(trx)
      return distributionViolations(trx, upstream.schema)
    })
    expect(violations).toEqual([])
  })
})
