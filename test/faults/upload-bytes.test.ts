import { Readable } from 'node:stream'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { claimsTenant, type ClaimsTenantScope, createClaimsHttpHandler, type HttpHandler } from '../support/upstream.js'
import { HEADER, validRow } from '../ingestion/csv-fixtures.js'
import { createHttpFixture, type FixtureTenant } from '../http/http-fixture.js'
import { createTestDatabase, type TestDatabase } from '../support/test-database.js'

// Bytes that are not UTF-8 CSV text: a clear 4xx naming the problem, never a 500, and never
// an upload left `processing` (the failure path itself must not fail on those bytes).

let upstream: TestDatabase
let a: FixtureTenant
let tenant: ClaimsTenantScope
let handle: HttpHandler

beforeAll(async () => {
  upstream = await createTestDatabase()
  ;({ a } = await createHttpFixture(upstream, 'bytes'))
  tenant = claimsTenant(upstream, a.customerId)
  handle = createClaimsHttpHandler({ upstream, logger: { error: () => undefined, warn: () => undefined } })
})
afterAll(async () => upstream?.destroy())

/** POSTs `chunks` (each one body chunk, in order) as a CSV upload named `filename`. */
async function upload(filename: string, chunks: readonly Buffer[]) {
  const body = Readable.from(chunks)
  const response = await handle({
    method: 'POST',
    path: '/api/v1/uploads/',
    query: new URLSearchParams({ filename }),
    headers: { host: 'api.test', authorization: `Bearer ${a.token}`, 'content-type': 'text/csv', 'transfer-encoding': 'chunked' },
    body,
    url: `http://api.test/api/v1/uploads/?filename=${filename}`,
  })
  return { status: response.status, json: JSON.parse(JSON.stringify(response.body)) as Record<string, unknown> }
}

const uploadsNamed = (filename: string) => tenant.read(({ db }) => db.selectFrom('uploads').selectAll().where('filename', '=', filename).execute())
const csv = (rows: number) => `${HEADER}\n${Array.from({ length: rows }, (_, i) => validRow(i + 1, 'B')).join('\n')}\n`

describe('bytes that cannot start a UTF-8 CSV: 400 naming the problem, no upload row at all', () => {
  const cases: [string, Buffer, RegExp][] = [
    ['NUL in the header row', Buffer.from(`claim_number,payer\0_name${HEADER.slice('claim_number,payer_name'.length)}\n${validRow(1)}\n`), /header row holds a NUL byte \(0x00\) at byte 19/],
    ['UTF-16LE with a byte order mark', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv(2), 'utf16le')]), /UTF-16 byte order mark \(UTF-16LE\)/],
    ['UTF-16BE with a byte order mark', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(csv(2), 'utf16le').swap16()]), /UTF-16 byte order mark \(UTF-16BE\)/],
    ['UTF-16LE without a byte order mark', Buffer.from(csv(2), 'utf16le'), /NUL byte \(0x00\) at byte 2/],
    ['gzip', gzipSync(csv(20)), /gzip-compressed/],
    ['a zip archive (xlsx)', Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]), Buffer.alloc(64, 7)]), /zip archive/],
    ['a PNG (binary)', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), /byte 0x89 at byte 1, which is not UTF-8/],
    ['Latin-1 in the header row', Buffer.from(`${HEADER},d\xe9nial\n`, 'latin1'), /byte 0xE9 at byte \d+, which is not UTF-8/],
  ]
  it.each(cases)('%s', async (name, bytes, message) => {
    const filename = `bytes-${name.replace(/\W+/g, '-')}.csv`
    const response = await upload(filename, [bytes])
    expect(response.status).toBe(400)
    expect(Object.keys(response.json)).toEqual(['file'])
    expect((response.json.file as string[])[0]).toMatch(/^The file is not UTF-8 text: /)
    expect((response.json.file as string[])[0]).toMatch(message)
    expect(await uploadsNamed(filename)).toEqual([])
  })
})

describe('bytes that stop being UTF-8 further down, or break the failure message: 422, upload failed', () => {
  it('a Latin-1 byte on line 4: 422 naming line 4, nothing loaded', async () => {
    const good = Buffer.from(`${HEADER}\n${validRow(1, 'L')}\n${validRow(2, 'L')}\n`)
    const bad = Buffer.from(`${validRow(3, 'L').replace(/^L3,[^,]+/, 'L3,Caf\xe9')}\n${validRow(4, 'L')}\n`, 'latin1')
    const response = await upload('latin1-row.csv', [good, bad])
    expect(response.status).toBe(422)
    expect(response.json.errors).toEqual([{ line: 4, column: null, message: expect.stringMatching(/^The file is not UTF-8 text: line 4 holds the byte 0xE9, which is not UTF-8/) }])
    expect(response.json.upload).toMatchObject({ status: 'failed', row_count: null })
    const [row] = await uploadsNamed('latin1-row.csv')
    expect(row).toMatchObject({ status: 'failed' })
    expect(await tenant.read(({ db }) => db.selectFrom('claim_records').select('id').where('claim_number', 'like', 'L%').execute())).toEqual([])
  })

  it('a character cut by the end of the body: 422, upload failed', async () => {
    const response = await upload('truncated.csv', [Buffer.from(`${HEADER}\n${validRow(1, 'T')}\n`), Buffer.from([0x43, 0xc3])])
    expect(response.status).toBe(422)
    expect((response.json.errors as { message: string }[])[0]!.message).toMatch(/ends inside a UTF-8 character/)
    expect((await uploadsNamed('truncated.csv'))[0]).toMatchObject({ status: 'failed' })
  })

  it('a NUL in a header that arrives after the first chunk: 422 with the header error, and the upload is failed, not stuck', async () => {
    // the first chunk has no NUL (nothing to refuse up front); the header's error message then
    // quotes the column name with its NUL, which a text column cannot store
    const response = await upload('late-nul.csv', [Buffer.from('claim_num'), Buffer.from(`ber\0x${HEADER.slice('claim_number'.length)}\n${validRow(1)}\n`)])
    expect(response.status).toBe(422)
    expect(response.json.upload).toMatchObject({ status: 'failed' })
    const [row] = await uploadsNamed('late-nul.csv')
    expect(row).toMatchObject({ status: 'failed' })
    expect(row!.error_message).toContain('\\u0000')
    expect(row!.error_message).not.toContain('\0')
  })

  it('a NUL inside a data field: 422 naming the field (as before)', async () => {
    const response = await upload('nul-field.csv', [Buffer.from(`${HEADER}\n${validRow(1, 'N').replace(/^N1,[^,]+/, 'N1,Ci\0gna')}\n`)])
    expect(response.status).toBe(422)
    expect(response.json.errors).toEqual([{ line: 2, column: 'payer_name', message: 'Null characters are not allowed.' }])
  })

  it('leaves no upload of this file processing', async () => {
    const stuck = await tenant.read(({ db }) => db.selectFrom('uploads').select(['filename', 'status']).where('status', 'in', ['pending', 'processing']).execute())
    expect(stuck).toEqual([])
  })
})
