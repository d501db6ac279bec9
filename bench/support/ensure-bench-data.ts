import type { ClaimsDatabase } from '../../src/claims/index.js'
import { sql } from 'kysely'
import pg from 'pg'
import { createDatabase, type CreateDatabaseOptions } from '../../src/db/create-database.js'
import { migrateToLatest } from '../../src/db/migrate-to-latest.js'
import type { UpstreamDatabase } from '../../src/db/upstream-database.js'
import { claimsMigrations, claimsTenant } from '../../src/claims/index.js'
import { seedDatabase, type SeededCustomer } from '../../scripts/seed/seed-database.js'

/** The bench data set: schema (`BENCH_SCHEMA`, default `bench`), size and seed. */
export const BENCH_DATA = Object.freeze({ schema: process.env.BENCH_SCHEMA || 'bench', customers: 10, claimsPerCustomer: 100_000, seed: 1, driftPayer: 'Aetna' })

/** The URL benches run against: `DATABASE_URL`, else the local test database. */
export function benchDatabaseUrl(): string {
  return process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test'
}

/** The seeded bench database. */
export interface BenchData {
  readonly upstream: UpstreamDatabase<ClaimsDatabase>
  readonly url: string
  readonly customers: readonly SeededCustomer[]
}

async function hasExpectedData(upstream: UpstreamDatabase<ClaimsDatabase>): Promise<boolean> {
  const customers = await upstream.db.selectFrom('customers').select('id').orderBy('id').execute()
  if (customers.length !== BENCH_DATA.customers) return false
  for (const { id } of customers) {
    const { n } = await claimsTenant(upstream, id).read(({ db }) =>
      db.selectFrom('claim_records').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    )
    if (Number(n) !== BENCH_DATA.claimsPerCustomer) return false
  }
  return true
}

/**
 * Connects to the bench schema and makes sure it holds 10 customers x 100,000 claims
 * (seed 1, drift planted for Aetna): migrates, and seeds only when the data is missing
 * or has the wrong size (then the schema is dropped and seeded again). Holds an advisory
 * lock meanwhile, so two bench runs never seed at once. Close `upstream` when done.
 *
 * @example
 * ```ts
 * const { upstream, customers } = await ensureBenchData()
 * try { ... } finally { await upstream.destroy() }
 * ```
 */
export async function ensureBenchData(options: Pick<CreateDatabaseOptions, 'pool'> = {}): Promise<BenchData> {
  const url = benchDatabaseUrl()
  const lock = new pg.Client({ connectionString: url })
  await lock.connect()
  const upstream = await createDatabase<ClaimsDatabase>({ connectionString: url, schema: BENCH_DATA.schema, pool: options.pool })
  try {
    await lock.query(`select pg_advisory_lock(hashtext('upstream-bench-data'))`)
    await migrateToLatest(upstream, { sets: [claimsMigrations] })
    if (!(await hasExpectedData(upstream))) {
      console.log(`[bench] seeding schema ${BENCH_DATA.schema}: ${BENCH_DATA.customers} customers x ${BENCH_DATA.claimsPerCustomer} claims ...`)
      const started = performance.now()
      await sql`drop schema if exists ${sql.id(BENCH_DATA.schema)} cascade`.execute(upstream.db)
      await migrateToLatest(upstream, { sets: [claimsMigrations] })
      await seedDatabase(upstream, { ...BENCH_DATA, concurrency: 2 })
      await sql`analyze ${sql.id(BENCH_DATA.schema, 'claim_records')}`.execute(upstream.db)
      await sql`analyze ${sql.id(BENCH_DATA.schema, 'uploads')}`.execute(upstream.db)
      console.log(`[bench] seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`)
    }
    const customers = await seedDatabase(upstream, BENCH_DATA) // idempotent: returns the tokens
    return Object.freeze({ upstream, url, customers })
  } catch (error) {
    await upstream.destroy()
    throw error
  } finally {
    await lock.end()
  }
}
