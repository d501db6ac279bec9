import pg from 'pg'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDatabase } from '../../src/db/create-database.js'
import { migrateToLatest } from '../../src/db/migrate-to-latest.js'
import { directTestDatabaseUrl } from '../support/test-database.js'

// Kysely's migrator reads every schema's catalog before it starts. Another session's DDL at that
// moment (a second instance migrating its job queue renames and drops columns) failed that read
// with 42703 (pg_get_serial_sequence on a column just renamed): the example that started second
// exited in a CI run. migrateToLatest tries the set again when the failure came before any migration.
const churnSchema = `ddl_churn_${process.pid}`
let churn: pg.Client

beforeAll(async () => {
  churn = new pg.Client({ connectionString: directTestDatabaseUrl() })
  await churn.connect()
  await churn.query(`drop schema if exists ${churnSchema} cascade; create schema ${churnSchema}; create table ${churnSchema}.t (id int, c int)`)
})
afterAll(async () => {
  await churn?.query(`drop schema if exists ${churnSchema} cascade`)
  await churn?.end()
})

describe('migrateToLatest while another session renames columns', () => {
  it('migrates every fresh schema: a catalog read broken by the DDL is tried again', async () => {
    let on = true
    // bursts of renames, as a migration's DDL comes, with pauses between them
    const loop = (async () => {
      let i = 0
      while (on) {
        for (let k = 0; k < 10 && on; k++, i++) await churn.query(`alter table ${churnSchema}.t rename column ${i % 2 ? 'd to c' : 'c to d'}`)
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    })()
    const failures: string[] = []
    const runs = 12
    try {
      for (let n = 0; n < runs; n++) {
        const schema = `ddl_mig_${process.pid}_${n}`
        const upstream = await createDatabase({ connectionString: directTestDatabaseUrl(), schema })
        try {
          await migrateToLatest(upstream)
        } catch (error) {
          failures.push(String((error as { cause?: { code?: string } }).cause?.code ?? error))
        } finally {
          await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(upstream.db)
          await upstream.destroy()
        }
      }
    } finally {
      on = false
      await loop
    }
    console.info(`[migrations under concurrent DDL] ${runs} fresh schemas migrated while another session renamed columns in bursts: failed ${failures.length} ${JSON.stringify(failures)}`)
    expect(failures).toEqual([])
  }, 120_000)
})
