import pg from 'pg'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCustomer, DatabaseUnavailableError, claimsTenant, type ClaimsTenantScope } from '../support/upstream.js'
import { IngestionFailedError, ingestUpload } from '../support/upstream.js'
import { createTestDatabase, testDatabaseUrl, type TestDatabase } from '../support/test-database.js'
import { csvStream, validRow } from './csv-fixtures.js'

let upstream: TestDatabase
let tenant: ClaimsTenantScope

beforeAll(async () => {
  upstream = await createTestDatabase()
  tenant = claimsTenant(upstream, (await createCustomer(upstream, 'Faults')).id)
})
afterAll(async () => upstream?.destroy())

/** Every claim row of the schema, counted as the superuser (RLS bypassed). */
async function allClaims(): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.id(upstream.schema, 'claim_records')}`.execute(upstream.db)
  return rows[0]!.n
}

describe('ingestUpload faults', () => {
  it('a bad row at line 999,999 of a 1,000,000-row file leaves zero claim rows and a failed upload', async () => {
    let peakHeap = 0
    const error = await ingestUpload(tenant, {
      filename: 'million.csv',
      // data row i is on file line i + 1
      body: csvStream(1_000_000, { replace: (i) => (i === 999_998 ? validRow(i).replace(/,2024-(\d\d)-/, ',2024-13-') : undefined) }),
      onProgress: () => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)),
    }).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(IngestionFailedError)
    const failed = error as IngestionFailedError
    expect(failed.errors).toEqual([{ line: 999_999, column: 'service_date', message: 'Date has wrong format. Use one of these formats instead: YYYY-MM-DD.' }])
    expect(failed.upload).toMatchObject({ status: 'failed', row_count: null })
    expect(await allClaims()).toBe(0)
    expect(peakHeap).toBeLessThan(150 * 1024 * 1024) // the file (~60 MB) never sits in memory
  })

  it('a backend terminated mid-COPY leaves zero claim rows and a failed upload', async () => {
    const killer = new pg.Client({ connectionString: testDatabaseUrl() })
    await killer.connect()
    try {
      let killing: Promise<number> | undefined
      const error = await ingestUpload(tenant, {
        filename: 'killed.csv',
        body: csvStream(400_000),
        onProgress: (rows) => {
          if (rows !== 20_000) return
          killing = (async () => {
            const upload = await tenant.read(({ db }) => db.selectFrom('uploads').select('id').where('filename', '=', 'killed.csv').executeTakeFirstOrThrow())
            const { rows: killed } = await killer.query<{ pid: number }>(
              `select pid, pg_terminate_backend(pid) from pg_stat_activity
               where datname = current_database() and query like $1 and pid <> pg_backend_pid()`,
              [`/* upstream ingest upload=${upload.id} */ copy %`],
            )
            return killed.length
          })()
        },
      }).then(
        () => undefined,
        (e: unknown) => e,
      )
      expect(await killing).toBe(1) // it really found and killed the COPY's backend
      expect(error).toBeInstanceOf(DatabaseUnavailableError)
      const upload = await tenant.read(({ db }) => db.selectFrom('uploads').selectAll().where('filename', '=', 'killed.csv').executeTakeFirstOrThrow())
      expect(upload).toMatchObject({ status: 'failed', error_message: 'The database connection was lost during the load; nothing was loaded.' })
      expect(upload.processing_completed_at).toBeInstanceOf(Date)
      expect(await allClaims()).toBe(0)
      // the pool recovered: the next upload works
      expect(await ingestUpload(tenant, { filename: 'after-kill.csv', body: csvStream(10) })).toMatchObject({ status: 'success', row_count: 10 })
    } finally {
      await killer.end()
    }
  })
})
