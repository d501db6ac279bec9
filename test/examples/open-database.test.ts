import { sql } from 'kysely'
import { afterAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../examples/shared/open-database.js'
import { readDeploymentConfig } from '../../examples/shared/deployment-config.js'
import { directTestDatabaseUrl, uniqueSchemaName } from '../support/test-database.js'
import { directlyBecause } from '../support/pooler.js'
import { poolStats, type UpstreamDatabase } from '../../src/db/index.js'

// The example servers migrate on DATABASE_MIGRATION_URL (a direct connection when DATABASE_URL
// is PgBouncer) through a pool of their own, closed once migrated, and size their pool from
// DATABASE_POOL_SIZE. Told apart here by application_name on the same PostgreSQL.
const schema = uniqueSchemaName('deploy')
const tag = `upstream-migrate-${schema}`
let upstream: UpstreamDatabase<unknown> | undefined

afterAll(async () => {
  if (upstream) {
    await sql`drop schema if exists ${sql.id(schema)}, ${sql.id(`${schema}_jobs`)} cascade`.execute(upstream.db)
    await upstream.destroy()
  }
})

describe(`openDatabase with the deployment config${directlyBecause("it counts the migration pool's server connections once it closed; PgBouncer keeps its server connections open")}`, () => {
  it('migrates (and installs the job queue) on DATABASE_MIGRATION_URL, then closes that pool; the app pool has DATABASE_POOL_SIZE', async () => {
    const url = directTestDatabaseUrl()
    const config = readDeploymentConfig({ DATABASE_URL: url, DATABASE_MIGRATION_URL: `${url}${url.includes('?') ? '&' : '?'}application_name=${tag}`, DATABASE_POOL_SIZE: '3' })
    const seen: string[] = []
    const opened = await openDatabase(config, schema, {
      jobQueue: true,
      log: (event) => {
        if (event.level === 'query') seen.push(event.query.sql)
      },
    })
    upstream = opened as UpstreamDatabase<unknown>
    // the app's pool ran no migration statement: they went through the migration URL
    expect(seen.some((q) => /create table/i.test(q))).toBe(false)
    const history = await sql<{ name: string }>`select name from ${sql.id(schema, 'core_migration')} order by name`.execute(opened.db)
    expect(history.rows.map((r) => r.name)).toContain('0001-tenants-and-api-keys')
    expect((await sql<{ t: string | null }>`select to_regclass(${`${schema}.job_workers`})::text as t`.execute(opened.db)).rows[0]?.t).toBeTruthy()
    // the migration pool is gone
    let left = 1
    for (let i = 0; i < 50 && left > 0; i++) {
      left = Number((await sql<{ n: string }>`select count(*) as n from pg_stat_activity where application_name = ${tag}`.execute(opened.db)).rows[0]?.n)
      if (left > 0) await new Promise((r) => setTimeout(r, 100))
    }
    expect(left).toBe(0)
    // DATABASE_POOL_SIZE=3: six concurrent statements hold at most three connections
    let most = 0
    const running = Promise.all(Array.from({ length: 6 }, () => sql`select pg_sleep(0.3)`.execute(opened.db)))
    const sampler = setInterval(() => (most = Math.max(most, poolStats(opened)?.total ?? 0)), 10)
    await running
    clearInterval(sampler)
    expect(most).toBe(3)
  })
})
