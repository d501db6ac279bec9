import { testDatabaseUrl } from './test-database.js'

/**
 * `transaction` when the suite runs behind a transaction pooler (`UPSTREAM_TEST_POOLER=transaction`,
 * set by .ci/run for its PgBouncer run, where DATABASE_URL points at PgBouncer in
 * `pool_mode = transaction`); else `undefined` (a direct connection). Tests that need a
 * session say so by name in that run, never skip silently.
 */
export function testPooler(): 'transaction' | undefined {
  return process.env.UPSTREAM_TEST_POOLER === 'transaction' ? 'transaction' : undefined
}

/**
 * A PgBouncer (transaction mode) in front of the suite's PostgreSQL: `UPSTREAM_TEST_PGBOUNCER_URL`
 * (scripts/ci/start-pgbouncer.sh prints one), or the suite's own URL in the PgBouncer run;
 * `undefined` when there is none.
 */
export function pgbouncerUrl(): string | undefined {
  return process.env.UPSTREAM_TEST_PGBOUNCER_URL || (testPooler() ? testDatabaseUrl() : undefined)
}

/** Why a session-only test does not run in this run (a transaction pooler), to name in its title. */
export const NEEDS_SESSION = 'needs a session connection; this run goes through PgBouncer in transaction mode (UPSTREAM_TEST_POOLER=transaction)'
