import { Readable } from 'node:stream'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCustomer, claimsTenant, type ClaimsTenantScope } from '../support/upstream.js'
import {
  EmptyUploadError,
  IngestionFailedError,
  ingestUpload,
  PayloadTooLargeError,
  TooManyRowsError,
  UploadBodyError,
  ValidationError,
} from '../support/upstream.js'
import { createTestDatabase, type TestDatabase } from '../support/test-database.js'
import { csvStream, HEADER, validRow } from './csv-fixtures.js'

let upstream: TestDatabase
let tenant: ClaimsTenantScope
let other: ClaimsTenantScope

beforeAll(async () => {
  upstream = await createTestDatabase()
  tenant = claimsTenant(upstream, (await createCustomer(upstream, 'Ingest A')).id)
  other = claimsTenant(upstream, (await createCustomer(upstream, 'Ingest B')).id)
})
afterAll(async () => upstream?.destroy())

/** Claim rows of an upload, read as the superuser (RLS bypassed: sees every tenant). */
async function claimsOf(uploadId: number) {
  const { rows } = await sql<{ customer_id: number; claim_number: string; payer_name: string; cpt_code: string; service_date: string; billed_amount: string; allowed_amount: string | null; paid_amount: string | null; status: string; denial_reason: string | null }>`
    select customer_id, claim_number, payer_name, cpt_code, service_date::text, billed_amount::text, allowed_amount::text,
           paid_amount::text, status, denial_reason
    from ${sql.id(upstream.schema, 'claim_records')} where upload_id = ${uploadId} order by id`.execute(upstream.db)
  return rows
}

async function uploadsNamed(filename: string) {
  return upstream.db.selectFrom('uploads').selectAll().where('filename', '=', filename).execute()
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('expected the upload to fail')
}

describe('ingestUpload: success', () => {
  it('loads quoted fields, multi-line quoted values, CRLF, a BOM and any column order', async () => {
    const csv =
      '\uFEFFstatus,denial_reason,paid_amount,allowed_amount,billed_amount,service_date,cpt_code,payer_name,claim_number\r\n' +
      'paid,,80.50,90,"1,234.5",2024-02-29,99213,"Aetna, Inc.",A-1\r\n'.replace('"1,234.5"', '1234.5') +
      'denied,"Multi\r\nline ""reason""\twith tab",,,0,2024-03-01,99214,Cigna,"A-2"\r\n' +
      '\r\n' +
      'adjusted, ,  10.00 ,12.00,15,2024-12-31,99215,  Humana  ,A-3\r\n'
    const progress: number[] = []
    const upload = await ingestUpload(tenant, { filename: 'happy.csv', body: Readable.from([Buffer.from(csv)]), onProgress: (n) => progress.push(n) })
    expect(upload).toMatchObject({ filename: 'happy.csv', status: 'success', row_count: 3, error_message: null, customer_id: tenant.customerId })
    expect(upload.processing_started_at).toBeInstanceOf(Date)
    expect(upload.processing_completed_at!.getTime()).toBeGreaterThanOrEqual(upload.processing_started_at!.getTime())
    expect(progress.at(-1)).toBe(3)
    expect(await claimsOf(upload.id)).toEqual([
      { customer_id: tenant.customerId, claim_number: 'A-1', payer_name: 'Aetna, Inc.', cpt_code: '99213', service_date: '2024-02-29', billed_amount: '1234.50', allowed_amount: '90.00', paid_amount: '80.50', status: 'paid', denial_reason: null },
      { customer_id: tenant.customerId, claim_number: 'A-2', payer_name: 'Cigna', cpt_code: '99214', service_date: '2024-03-01', billed_amount: '0.00', allowed_amount: null, paid_amount: null, status: 'denied', denial_reason: 'Multi\r\nline "reason"\twith tab' },
      { customer_id: tenant.customerId, claim_number: 'A-3', payer_name: 'Humana', cpt_code: '99215', service_date: '2024-12-31', billed_amount: '15.00', allowed_amount: '12.00', paid_amount: '10.00', status: 'adjusted', denial_reason: null },
    ])
  })

  it('accepts a web ReadableStream and an async iterable of strings', async () => {
    const text = `${HEADER}\n${validRow(1)}\n${validRow(2)}\n`
    const bytes = new TextEncoder().encode(text)
    const web = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.subarray(0, 7))
        controller.enqueue(bytes.subarray(7))
        controller.close()
      },
    })
    expect(await ingestUpload(tenant, { filename: 'web.csv', body: web })).toMatchObject({ status: 'success', row_count: 2 })
    async function* strings() {
      yield text.slice(0, 50)
      yield text.slice(50)
    }
    expect(await ingestUpload(tenant, { filename: 'strings.csv', body: strings() })).toMatchObject({ status: 'success', row_count: 2 })
  })

  it('lands claims under the scope customer only (tenant isolation)', async () => {
    const upload = await ingestUpload(other, { filename: 'b-only.csv', body: csvStream(25) })
    const rows = await claimsOf(upload.id)
    expect(rows).toHaveLength(25)
    expect(new Set(rows.map((r) => r.customer_id))).toEqual(new Set([other.customerId]))
    expect(upload.customer_id).toBe(other.customerId)
    expect(await tenant.read(({ db }) => db.selectFrom('claim_records').select('id').where('upload_id', '=', upload.id).execute())).toEqual([])
    expect(await tenant.read(({ uploads }) => uploads.findById(upload.id))).toBeUndefined()
  })

  it('calls onProgress every 10,000 rows and at the end', async () => {
    const seen: number[] = []
    const upload = await ingestUpload(tenant, { filename: 'progress.csv', body: csvStream(25_000), onProgress: (n) => seen.push(n) })
    expect(upload.row_count).toBe(25_000)
    expect(seen).toEqual([10_000, 20_000, 25_000])
  })
})

describe('ingestUpload: row errors', () => {
  it('reports errors with 1-based file lines (header is line 1, multi-line quoted fields counted) and loads nothing', async () => {
    const csv = [
      HEADER, // 1
      validRow(1), // 2
      'Q-1,Aetna,99213,2024-01-05,10,,,denied,"spans\nthree\nlines"', // 3-5
      '', // 6 (blank, skipped)
      'Q-2,Aetna,99213,2023-02-29,10.123,-1,abc,refunded,', // 7
      'Q-3,,99213,2024-01-05,10,,,paid,', // 8
      'Q-4,Aetna,99213,2024-01-05,10', // 9 (too few fields)
      '"Q-5\r\nx",Aetna,99213,24-1-5,12345678901,,,paid,', // 10-11
      validRow(2), // 12
    ].join('\n')
    const error = await failure(ingestUpload(tenant, { filename: 'bad-rows.csv', body: Readable.from([csv]) }))
    expect(error).toBeInstanceOf(IngestionFailedError)
    const failed = error as IngestionFailedError
    expect(failed.errors).toEqual([
      { line: 7, column: 'service_date', message: 'Date has wrong format. Use one of these formats instead: YYYY-MM-DD.' },
      { line: 7, column: 'billed_amount', message: 'Ensure that there are no more than 2 decimal places.' },
      { line: 7, column: 'allowed_amount', message: 'Ensure this value is greater than or equal to 0.' },
      { line: 7, column: 'paid_amount', message: 'A valid number is required.' },
      { line: 7, column: 'status', message: '"refunded" is not a valid choice.' },
      { line: 8, column: 'payer_name', message: 'This field may not be blank.' },
      { line: 9, column: null, message: 'Expected 9 fields, found 5.' },
      { line: 10, column: 'service_date', message: 'Date has wrong format. Use one of these formats instead: YYYY-MM-DD.' },
      { line: 10, column: 'billed_amount', message: 'Ensure that there are no more than 10 digits before the decimal point.' },
    ])
    expect(failed.upload).toMatchObject({ status: 'failed', row_count: null, filename: 'bad-rows.csv' })
    expect(failed.upload.error_message).toMatch(/^The file has invalid rows; nothing was loaded\. First error: line 7, service_date/)
    expect(failed.upload.processing_started_at).toBeInstanceOf(Date)
    expect(failed.upload.processing_completed_at).toBeInstanceOf(Date)
    expect(await claimsOf(failed.upload.id)).toEqual([])
  })

  it('reports header problems on line 1', async () => {
    const error = await failure(
      ingestUpload(tenant, { filename: 'bad-header.csv', body: Readable.from(['claim_number,payer_name,cpt_code,service_date,billed_amount,allowed_amount,paid,status,status\nx\n']) }),
    )
    expect(error).toBeInstanceOf(IngestionFailedError)
    expect((error as IngestionFailedError).errors).toEqual([
      { line: 1, column: 'paid', message: expect.stringMatching(/^Unknown column "paid"/) },
      { line: 1, column: 'status', message: 'The column "status" is given more than once.' },
      { line: 1, column: 'paid_amount', message: 'The header has no "paid_amount" column.' },
      { line: 1, column: 'denial_reason', message: 'The header has no "denial_reason" column.' },
    ])
  })

  it('stops at maxErrors and reports the first ones in line order', async () => {
    const error = await failure(
      ingestUpload(tenant, { filename: 'many-errors.csv', body: csvStream(5000, { replace: (i) => (i % 10 === 0 ? validRow(i).replace(',2024-', ',2024/') : undefined) }), maxErrors: 5 }),
    )
    expect((error as IngestionFailedError).errors.map((e) => e.line)).toEqual([11, 21, 31, 41, 51])
  })

  it('a duplicate claim_number within one upload is a row error; the same numbers in another upload are fine', async () => {
    const first = await ingestUpload(tenant, { filename: 'numbers-1.csv', body: csvStream(40) })
    const second = await ingestUpload(tenant, { filename: 'numbers-2.csv', body: csvStream(40) })
    expect([first.row_count, second.row_count]).toEqual([40, 40])
    expect((await claimsOf(second.id)).map((r) => r.claim_number)).toEqual((await claimsOf(first.id)).map((r) => r.claim_number))

    const error = await failure(
      ingestUpload(tenant, { filename: 'dupes.csv', body: csvStream(40, { replace: (i) => (i === 30 ? validRow(5) : i === 35 ? validRow(5) : i === 36 ? validRow(7) : undefined) }) }),
    )
    expect(error).toBeInstanceOf(IngestionFailedError)
    expect((error as IngestionFailedError).errors).toEqual([
      { line: 31, column: 'claim_number', message: 'Duplicate claim_number "C5" (first on line 6).' },
      { line: 36, column: 'claim_number', message: 'Duplicate claim_number "C5" (first on line 6).' },
      { line: 37, column: 'claim_number', message: 'Duplicate claim_number "C7" (first on line 8).' },
    ])
    expect(await claimsOf((error as IngestionFailedError).upload.id)).toEqual([])
  })

  it('a header without rows fails; an empty body is a 400-style error without an upload row', async () => {
    const headerOnly = await failure(ingestUpload(tenant, { filename: 'header-only.csv', body: Readable.from([HEADER + '\n']) }))
    expect((headerOnly as IngestionFailedError).errors).toEqual([{ line: 1, column: null, message: 'The file has a header row but no data rows.' }])

    const empty = await failure(ingestUpload(tenant, { filename: 'empty.csv', body: Readable.from([]) }))
    expect(empty).toBeInstanceOf(EmptyUploadError)
    expect(empty).toBeInstanceOf(ValidationError)
    expect((empty as EmptyUploadError).fields).toEqual({ file: ['The submitted file is empty.'] })
    expect(await uploadsNamed('empty.csv')).toEqual([])

    const blank = await failure(ingestUpload(tenant, { filename: 'blank.csv', body: Readable.from(['\n\r\n\n']) }))
    expect(blank).toBeInstanceOf(EmptyUploadError)
    expect((blank as EmptyUploadError).upload).toMatchObject({ status: 'failed' })
  })
})

describe('ingestUpload: limits', () => {
  it('stops reading at maxBytes (PayloadTooLargeError), leaves the Node stream open, loads nothing', async () => {
    let pulled = 0
    const maxBytes = 256 * 1024
    const body = csvStream(2_000_000, { onChunk: (n) => (pulled += n) }) // ~120 MB if read to the end
    const error = await failure(ingestUpload(tenant, { filename: 'huge.csv', body, maxBytes }))
    expect(error).toBeInstanceOf(PayloadTooLargeError)
    const tooLarge = error as PayloadTooLargeError
    expect(tooLarge.maxBytes).toBe(maxBytes)
    expect(tooLarge.upload).toMatchObject({ status: 'failed', error_message: `The upload is larger than ${maxBytes} bytes. Nothing was loaded.` })
    expect(pulled).toBeLessThan(maxBytes + 4 * 65_536 + 2048) // the limit plus the stream's read-ahead, never the rest
    expect(body.destroyed).toBe(false) // an HTTP layer can still answer on this connection
    expect(await claimsOf(tooLarge.upload!.id)).toEqual([])
    body.destroy()
  })

  it('refuses more than maxRows rows', async () => {
    const error = await failure(ingestUpload(tenant, { filename: 'rows.csv', body: csvStream(1000), maxRows: 100 }))
    expect(error).toBeInstanceOf(TooManyRowsError)
    expect((error as TooManyRowsError).upload).toMatchObject({ status: 'failed' })
    expect(await claimsOf((error as TooManyRowsError).upload!.id)).toEqual([])
  })

  it('refuses bad options before touching the database', async () => {
    await expect(ingestUpload(tenant, { filename: '', body: Readable.from(['x']) })).rejects.toBeInstanceOf(ValidationError)
    await expect(ingestUpload(tenant, { filename: 'x.csv', body: Readable.from(['x']), maxBytes: 0 })).rejects.toBeInstanceOf(ValidationError)
  })

  it('a failing body stream fails the upload with UploadBodyError', async () => {
    async function* broken() {
      yield Buffer.from(`${HEADER}\n${validRow(1)}\n`)
      throw new Error('client went away')
    }
    const error = await failure(ingestUpload(tenant, { filename: 'broken.csv', body: broken() }))
    expect(error).toBeInstanceOf(UploadBodyError)
    const [row] = await uploadsNamed('broken.csv')
    expect(row).toMatchObject({ status: 'failed' })
    expect(await claimsOf(row!.id)).toEqual([])
  })

  it('an aborted signal fails the upload and loads nothing', async () => {
    const controller = new AbortController()
    const error = await failure(
      ingestUpload(tenant, { filename: 'aborted.csv', body: csvStream(30_000), signal: controller.signal, onProgress: (n) => n >= 10_000 && controller.abort() }),
    )
    expect((error as Error).name).toBe('AbortError')
    const [row] = await uploadsNamed('aborted.csv')
    expect(row).toMatchObject({ status: 'failed', error_message: 'The upload was cancelled; nothing was loaded.' })
    expect(await claimsOf(row!.id)).toEqual([])
  })
})

describe('ingestUpload: CSV syntax errors', () => {
  it('reports malformed quoting with its line, and keeps counting lines after it', async () => {
    const csv = [HEADER, validRow(1), `C2,x""",99213,2024-01-01,1,,,paid,`, validRow(3).replace('2024-', '2024/')].join('\n')
    const error = await failure(ingestUpload(tenant, { filename: 'syntax.csv', body: Readable.from([csv]) }))
    expect(error).toBeInstanceOf(IngestionFailedError)
    expect((error as IngestionFailedError).errors).toEqual([
      { line: 3, column: null, message: 'Malformed CSV: Invalid Opening Quote: a quote is found on field 1.' },
      { line: 4, column: 'service_date', message: 'Date has wrong format. Use one of these formats instead: YYYY-MM-DD.' },
    ])
    expect(await claimsOf((error as IngestionFailedError).upload.id)).toEqual([])
  })
})
