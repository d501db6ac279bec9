import { testDatabaseUrl, testPooler } from './test-database.js'

export { testPooler }

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

/**
 * The title suffix of a test that runs directly even in the PgBouncer run, and why; empty
 * in the direct run.
 */
export function directlyBecause(reason: string): string {
  return testPooler() ? ` [run directly (UPSTREAM_TEST_DIRECT_URL), not through PgBouncer: ${reason}]` : ''
}
