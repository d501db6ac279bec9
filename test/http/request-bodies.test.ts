import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClaimsHttpHandler, type HttpHandler } from '../support/upstream.js'
import { createTestDatabase, type TestDatabase } from '../support/test-database.js'
import { callHandler } from './call-handler.js'
import { createHttpFixture, type FixtureTenant } from './http-fixture.js'

let upstream: TestDatabase
let a: FixtureTenant
let handle: HttpHandler
const ingested: { filename: string; maxBytes?: number }[] = []

beforeAll(async () => {
  upstream = await createTestDatabase()
  ;({ a } = await createHttpFixture(upstream))
  handle = createClaimsHttpHandler({
    upstream,
    maxJsonBodyBytes: 64,
    maxUploadBytes: 1000,
    services: {
      // records the call and answers the fixture's upload: the checks under test run before it
      ingestUpload: async (tenant, input) => {
        ingested.push({ filename: input.filename, maxBytes: input.maxBytes })
        for await (const _chunk of input.body) void _chunk
        return tenant.read(({ uploads }) => uploads.getById(a.upload.id))
      },
    },
  })
})
afterAll(async () => upstream?.destroy())

const driftPost = (body: string | undefined, contentType?: string, headers: Record<string, string> = {}) =>
  callHandler(handle, {
    method: 'POST',
    path: '/api/v1/drift/reports/',
    token: a.token,
    headers: { ...(contentType ? { 'content-type': contentType } : {}), ...headers },
    ...(body === undefined ? {} : { body }),
  })

describe('JSON bodies (drift runs)', () => {
  it('answers 415 to a body that is not JSON', async () => {
    const r = await driftPost('as_of=2026-01-01', 'application/x-www-form-urlencoded')
    expect(r.status).toBe(415)
    expect(r.json).toEqual({ detail: 'Unsupported media type "application/x-www-form-urlencoded" in request.' })
    expect((await driftPost('{}', undefined)).status).toBe(415)
  })

  it('answers 400 to malformed JSON and to a body that is not an object', async () => {
    const r = await driftPost('{"as_of": ', 'application/json')
    expect(r.status).toBe(400)
    expect((r.json as { detail: string }).detail).toMatch(/^JSON parse error - /)
    const list = await driftPost('[1]', 'application/json')
    expect(list.status).toBe(400)
    expect(list.json).toEqual({ non_field_errors: ['Invalid data. Expected a dictionary, but got list.'] })
  })

  it('answers 400 in DRF shape to bad parameters', async () => {
    const r = await driftPost('{"group_by": "planet"}', 'application/json; charset=utf-8')
    expect(r.status).toBe(400)
    expect(Object.keys(r.json as object)).toEqual(['group_by'])
  })

  it('answers 413 past the JSON limit, by Content-Length and while reading', async () => {
    const big = JSON.stringify({ as_of: '2026-01-01', padding: 'x'.repeat(100) })
    expect((await driftPost(big, 'application/json')).status).toBe(413)
    const lying = await driftPost(big, 'application/json', { 'content-length': '10' })
    expect(lying.status).toBe(413)
    expect(lying.json).toEqual({ detail: 'Request body too large (limit 64 bytes).' })
  })
})

describe('CSV uploads', () => {
  const upload = (query: string, body: string, contentType = 'text/csv', headers: Record<string, string> = {}) =>
    callHandler(handle, { method: 'POST', path: `/api/v1/uploads/${query}`, token: a.token, headers: { 'content-type': contentType, ...headers }, body })

  it('answers 400 without a filename', async () => {
    for (const query of ['', '?filename=', '?filename=%20']) {
      const r = await upload(query, 'a,b\n')
      expect(r.status).toBe(400)
      expect(r.json).toEqual({ filename: ['This field is required.'] })
    }
  })

  it('answers 415 to another content type', async () => {
    const r = await upload('?filename=x.csv', 'a,b\n', 'application/json')
    expect(r.status).toBe(415)
    expect(r.json).toEqual({ detail: 'Unsupported media type "application/json" in request.' })
  })

  it('answers 413 when Content-Length is past the limit, before ingesting', async () => {
    ingested.length = 0
    const r = await upload('?filename=x.csv', 'x'.repeat(1001))
    expect(r.status).toBe(413)
    expect(ingested).toEqual([])
  })

  it('streams an accepted body to the ingestion service with the limit and answers 201', async () => {
    ingested.length = 0
    const r = await upload('?filename=claims.csv', 'claim_number\n1\n', 'text/csv; charset=utf-8')
    expect(r.status).toBe(201)
    expect(ingested).toEqual([{ filename: 'claims.csv', maxBytes: 1000 }])
    expect((r.json as { id: number }).id).toBe(a.upload.id)
  })
})
