import { randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import { inject } from 'vitest'
import { createDatabase, type CreateDatabaseOptions } from '../../src/db/create-database.js'
import { migrateToLatest } from '../../src/db/migrate-to-latest.js'
import type { UpstreamDatabase } from '../../src/db/upstream-database.js'
import { claimsMigrations, type ClaimsDatabase } from '../../src/claims/index.js'

/** The URL of the real PostgreSQL the suite runs on (see global-setup.ts). */
export function testDatabaseUrl(): string {
  return inject('databaseUrl')
}

/**
 * `transaction` when the suite runs behind a transaction pooler (`UPSTREAM_TEST_POOLER=transaction`,
 * set by .ci/run for its PgBouncer run, where DATABASE_URL points at PgBouncer in
 * `pool_mode = transaction`); else `undefined` (a direct connection). Test databases are then
 * created with `pooler: 'transaction'`; tests that need a session say so by name in that
 * run, never skip silently.
 */
export function testPooler(): 'transaction' | undefined {
  return process.env.UPSTREAM_TEST_POOLER === 'transaction' ? 'transaction' : undefined
}

/**
 * A direct URL of the suite's PostgreSQL, for the few tests that need their own server session
 * (they kill their own backend, or measure their own pool): `UPSTREAM_TEST_DIRECT_URL` in the
 * PgBouncer run (.ci/run sets it), else the suite's URL.
 */
export function directTestDatabaseUrl(): string {
  const direct = process.env.UPSTREAM_TEST_DIRECT_URL
  if (direct) return direct
  if (testPooler()) throw new Error('UPSTREAM_TEST_POOLER=transaction needs UPSTREAM_TEST_DIRECT_URL (a direct URL) for the tests that need a session')
  return testDatabaseUrl()
}

/** A fresh schema name, unique per call, so test files never see each other's rows. */
export function uniqueSchemaName(prefix = 't'): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`
}

/** A migrated database in a schema of its own; `destroy()` drops the schema. */
export interface TestDatabase extends UpstreamDatabase<ClaimsDatabase> {
  /** Drops the schema and closes the pool. */
  destroy(): Promise<void>
}

/**
 * Creates a schema of its own on the suite's PostgreSQL, migrates it and returns the
 * connected database. Call it in `beforeAll` and `destroy()` it in `afterAll`.
 */
export async function createTestDatabase(options: Omit<CreateDatabaseOptions, 'connectionString' | 'schema'> & { schema?: string; direct?: boolean } = {}): Promise<TestDatabase> {
  const schema = options.schema ?? uniqueSchemaName()
  const { direct, ...rest } = options
  const upstream = await createDatabase<ClaimsDatabase>(
    direct ? { ...rest, connectionString: directTestDatabaseUrl(), schema } : { pooler: testPooler(), ...rest, connectionString: testDatabaseUrl(), schema },
  )
  await migrateToLatest(upstream, { sets: [claimsMigrations] })
  return Object.freeze({
    ...upstream,
    destroy: async () => {
      try {
        // and its job queue, when a test installed one (migrateJobQueue)
        await sql`drop schema if exists ${sql.id(schema)}, ${sql.id(`${schema}_jobs`)} cascade`.execute(upstream.db)
      } finally {
        await upstream.destroy()
      }
    },
  })
}
