import { sql } from 'kysely'
import { afterAll, describe, expect, it } from 'vitest'
import { claimsMigrations, createDatabase, migrateToLatest, type UpstreamDatabase } from '../support/upstream.js'
import { pgbouncerUrl } from '../support/pooler.js'
import { testDatabaseUrl, uniqueSchemaName } from '../support/test-database.js'

const INSTANCES = 24
/** All of them must be done by then (the machine is shared; unloaded it takes a few seconds). */
const BOUND_MS = Number(process.env.MIGRATION_RACE_BOUND_MS ?? 60_000)

const viaPgBouncer = pgbouncerUrl()
const url = viaPgBouncer ?? testDatabaseUrl()
const schema = uniqueSchemaName('mig')
const applicationName = `upstream-migration-race-${schema}`
const opened: UpstreamDatabase[] = []

/** Ends every backend of this test (by pid, one at a time): no lock of ours may outlive it. */
async function endOurBackends(direct: UpstreamDatabase): Promise<void> {
  const pids = await sql<{ pid: number }>`select pid from pg_stat_activity where application_name = ${applicationName} and pid <> pg_backend_pid()`.execute(direct.db)
  for (const { pid } of pids.rows) await sql`select pg_terminate_backend(${pid})`.execute(direct.db)
}

describe(`${INSTANCES} instances migrating one fresh schema at once ${viaPgBouncer ? 'through PgBouncer (transaction mode)' : 'DIRECTLY: no PgBouncer (set UPSTREAM_TEST_PGBOUNCER_URL; scripts/ci/start-pgbouncer.sh starts one)'}`, () => {
  let observer: UpstreamDatabase
  afterAll(async () => {
    if (observer) await endOurBackends(observer).catch(() => undefined)
    await Promise.all(opened.map((u) => u.destroy().catch(() => undefined)))
    if (observer) {
      await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(observer.db)
      await observer.destroy()
    }
  })

  it(`all finish within ${BOUND_MS / 1000} s and leave no advisory lock behind`, async () => {
    observer = await createDatabase({ connectionString: testDatabaseUrl(), schema })
    for (let i = 0; i < INSTANCES; i++) {
      opened.push(await createDatabase({ connectionString: url, schema, pool: { max: 2, application_name: applicationName }, acquireTimeoutMs: 0 }))
    }
    const started = performance.now()
    const doneAt: number[] = []
    const failures: unknown[] = []
    const calls = opened.map((upstream) =>
      migrateToLatest(upstream, { sets: [claimsMigrations] }).then(
        () => void doneAt.push(performance.now() - started),
        (error: unknown) => void failures.push(error),
      ),
    )
    let timer: NodeJS.Timeout | undefined
    await Promise.race([Promise.all(calls), new Promise((resolve) => (timer = setTimeout(resolve, BOUND_MS)))])
    clearTimeout(timer)
    const hung = INSTANCES - doneAt.length - failures.length
    // session-level advisory locks a pooler stranded stay on idle server connections: count them
    const locks = await sql<{ n: number }>`
      select count(*)::int as n from pg_locks l join pg_stat_activity a on a.pid = l.pid
      where l.locktype = 'advisory' and a.application_name = ${applicationName}`.execute(observer.db)
    const locksLeft = locks.rows[0]?.n ?? -1
    const allDone = doneAt.length === INSTANCES ? `${Math.round(Math.max(...doneAt))} ms` : 'never'
    console.log(
      `[migrations behind a pooler] ${INSTANCES} concurrent migrateToLatest ${viaPgBouncer ? `via PgBouncer ${new URL(url).host}` : 'directly'}: ` +
        `all done in ${allDone} (first ${Math.round(Math.min(...doneAt))} ms), failed ${failures.length}, hung past ${BOUND_MS / 1000} s ${hung}, advisory locks left ${locksLeft}`,
    )
    if (hung > 0) await endOurBackends(observer) // release whatever a stranded lock holds before failing
    expect(failures).toEqual([])
    expect(hung).toBe(0)
    expect(locksLeft).toBe(0)
    const history = await sql<{ n: number }>`select count(*)::int as n from ${sql.id(schema, 'claims_migration')}`.execute(observer.db)
    expect(history.rows[0]?.n).toBeGreaterThan(0)
  })
})
