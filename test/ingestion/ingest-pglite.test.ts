import type { ClaimsDatabase } from '../../src/claims/index.js'
import { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { claimsMigrations, createCustomer, createDatabase, claimsTenant, migrateToLatest, type ClaimsTenantScope, type UpstreamDatabase } from '../support/upstream.js'
import { IngestionFailedError, ingestUpload } from '../support/upstream.js'
import { csvStream, HEADER, validRow } from './csv-fixtures.js'

// PGlite is PostgreSQL compiled to WebAssembly (embedded, what the demo and examples run on
// without DATABASE_URL). It has no `pg` client to COPY through, so ingestion fills the
// staging table with batched INSERT ... unnest(...) there: this file covers that path.
let upstream: UpstreamDatabase<ClaimsDatabase>
let tenant: ClaimsTenantScope
let other: ClaimsTenantScope

beforeAll(async () => {
  upstream = await createDatabase<ClaimsDatabase>({ embedded: true })
  await migrateToLatest(upstream, { sets: [claimsMigrations] })
  tenant = claimsTenant(upstream, (await createCustomer(upstream, 'Lite A')).id)
  other = claimsTenant(upstream, (await createCustomer(upstream, 'Lite B')).id)
})
afterAll(async () => upstream?.destroy())

describe('ingestUpload on PGlite', () => {
  it('loads a file in batches, under the scope tenant only', async () => {
    const upload = await ingestUpload(tenant, { filename: 'lite.csv', body: csvStream(5_000) })
    expect(upload).toMatchObject({ status: 'success', row_count: 5_000 })
    const mine = await tenant.read(({ db }) => db.selectFrom('claim_records').select(({ fn }) => fn.countAll<number>().as('n')).where('upload_id', '=', upload.id).executeTakeFirstOrThrow())
    expect(Number(mine.n)).toBe(5_000)
    const theirs = await other.read(({ db }) => db.selectFrom('claim_records').select('id').execute())
    expect(theirs).toEqual([])
    const first = await tenant.read(({ db }) => db.selectFrom('claim_records').selectAll().where('upload_id', '=', upload.id).where('claim_number', '=', 'C4').executeTakeFirstOrThrow())
    expect(first).toMatchObject({ payer_name: 'Kaiser', service_date: '2024-05-05', billed_amount: '104.04', allowed_amount: '90.00', paid_amount: '80.50', status: 'paid', denial_reason: null })
  })

  it('is all or nothing with row errors and duplicates', async () => {
    const csv = [HEADER, validRow(1), validRow(2), validRow(1), validRow(3).replace('submitted', 'nope')].join('\n')
    const error = await ingestUpload(tenant, { filename: 'lite-bad.csv', body: Readable.from([csv]) }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(IngestionFailedError)
    expect((error as IngestionFailedError).errors).toEqual([
      { line: 4, column: 'claim_number', message: 'Duplicate claim_number "C1" (first on line 2).' },
      { line: 5, column: 'status', message: '"nope" is not a valid choice.' },
    ])
    const rows = await tenant.read(({ db }) => db.selectFrom('claim_records').select('id').where('upload_id', '=', (error as IngestionFailedError).upload.id).execute())
    expect(rows).toEqual([])
  })
})
