import { once } from 'node:events'
import { createServer, get, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Readable } from 'node:stream'
import { parse } from 'csv-parse/sync'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import type { ClaimsTenantScope } from '../../src/claims/index.js'
import { ClaimSchema } from '../../src/claims/openapi/index.js'
import { createQueryCounter } from '../../src/list-query/create-query-counter.js'
import { claimsListSpec } from '../../src/claims/lists/index.js'
import { jsonResponse } from '../../src/http/http-response.js'
import { tenantOperation } from '../../src/http/operation.js'
import { fromNodeRequest, writeNodeResponse } from '../../src/http/node-adapter.js'
import { createClaimsHttpHandler, type HttpHandler } from '../support/upstream.js'
import { createTestDatabase, type TestDatabase } from '../support/test-database.js'
import { callHandler } from './call-handler.js'
import { createHttpFixture, type FixtureTenant } from './http-fixture.js'
import { claim, insertClaims, newTenant } from '../list-query/support/claims-fixture.js'
import { apiKeysOf } from './list-export-keys.js'

const counter = createQueryCounter()
let upstream: TestDatabase
let a: FixtureTenant
let handle: HttpHandler
let tenant: ClaimsTenantScope
let token: string
let bulk: { tenant: ClaimsTenantScope; token: string }
const BULK_ROWS = 20_000
const BATCH = 4
const FIELDS = Object.keys(ClaimSchema.shape)

// a list of the app's own without an export: format=csv is a 406 there
const plainList = tenantOperation<ClaimsTenantScope>({
  method: 'GET',
  path: '/plain/',
  operationId: 'plain_list',
  list: { spec: claimsListSpec.description, resultName: 'Claim', result: ClaimSchema },
  handle: async () => jsonResponse(200, { count: 0, next: null, previous: null, results: [] }),
})

// values that need quoting in CSV, and non-ASCII
const TRICKY = [
  { payer_name: 'Müller, "Best" Care', denial_reason: 'line one\nline two' },
  { payer_name: 'Ωmega; Health', denial_reason: 'a "quoted" reason, with comma' },
  { payer_name: '  spaced  ', denial_reason: '\r\ncrlf' },
  { payer_name: '日本の保険', denial_reason: '' },
]

beforeAll(async () => {
  upstream = await createTestDatabase({ log: counter.log })
  ;({ a } = await createHttpFixture(upstream, 'export'))
  handle = createClaimsHttpHandler({ upstream, exportBatchSize: BATCH, operations: [plainList] })
  tenant = await newTenant(upstream, 'export')
  token = await apiKeysOf(tenant)
  // 30 claims, several on one service date (ties cross batch boundaries), four with tricky text
  await insertClaims(tenant, [
    ...Array.from({ length: 26 }, (_, i) => claim(i, { service_date: i % 2 === 0 ? '2025-02-01' : claim(i).service_date })),
    ...TRICKY.map((t, i) => claim(100 + i, { ...t, status: 'denied' })),
  ])
  const bulkTenant = await newTenant(upstream, 'export-bulk')
  const { upload } = await insertClaims(bulkTenant, [claim(0)])
  await sql`
    insert into ${sql.id(upstream.schema, 'claim_records')}
      (customer_id, upload_id, claim_number, payer_name, cpt_code, service_date, billed_amount, allowed_amount, paid_amount, status, denial_reason)
    select ${bulkTenant.customerId}, ${upload.id}, 'B-' || g, 'Payer ' || (g % 7), '99213', date '2025-01-01' + (g % 300), (g % 1000) + 0.25, null, null, 'paid', null
    from generate_series(1, ${BULK_ROWS - 1}) as g`.execute(upstream.db)
  bulk = { tenant: bulkTenant, token: await apiKeysOf(bulkTenant) }
})
afterAll(async () => upstream?.destroy())

async function text(body: unknown): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of body as Readable) chunks.push(Buffer.from(chunk as Buffer))
  return Buffer.concat(chunks).toString('utf8')
}

async function exportOf(path: string, headers: Record<string, string> = {}, as = token) {
  const r = await callHandler(handle, { path, token: as, headers })
  return { ...r, text: r.body instanceof Readable ? await text(r.body) : '' }
}

/** Every row of the JSON list for the same query (one page of up to 500), and its count. */
async function jsonRows(qs: string, as = token): Promise<{ count: number; rows: Record<string, unknown>[] }> {
  const r = await callHandler(handle, { path: `/api/v1/claims/?${qs}${qs ? '&' : ''}page_size=500`, token: as })
  expect(r.status).toBe(200)
  const body = r.json as { count: number; results: Record<string, unknown>[] }
  return { count: body.count, rows: body.results }
}

const asCsvCells = (row: Record<string, unknown>) => FIELDS.map((f) => (row[f] === null ? '' : String(row[f])))

describe('CSV export', () => {
  it('streams a header row of the JSON field names and every row formatted as the JSON presenter formats it', async () => {
    const r = await exportOf('/api/v1/claims/?format=csv')
    expect(r.status).toBe(200)
    expect(r.headers['content-type']).toBe('text/csv; charset=utf-8')
    expect(r.headers['content-disposition']).toBe('attachment; filename="claims.csv"')
    const records = parse(r.text, { relax_column_count: false }) as string[][]
    expect(records[0]).toEqual(FIELDS)
    const { count, rows } = await jsonRows('')
    expect(count).toBe(30)
    expect(records.slice(1)).toEqual(rows.map(asCsvCells))
    // quotes, commas, line breaks and non-ASCII survive exactly; amounts are exact strings
    const byPayer = new Map(records.slice(1).map((rec) => [rec[FIELDS.indexOf('payer_name')], rec]))
    for (const t of TRICKY) expect(byPayer.get(t.payer_name)?.[FIELDS.indexOf('denial_reason')]).toBe(t.denial_reason)
    expect(r.text).toContain('"Müller, ""Best"" Care"')
    expect(records.slice(1).every((rec) => /^\d+\.\d\d$/.test(rec[FIELDS.indexOf('billed_amount')]!))).toBe(true)
  })

  it('row count equals the list\'s count across many batches, in the list\'s order', async () => {
    counter.reset()
    const r = await exportOf('/api/v1/claims/?format=csv')
    const batches = counter.statements.filter((s) => s.includes('claim_records')).length
    expect(batches).toBe(Math.ceil(30 / BATCH) + (30 % BATCH === 0 ? 1 : 0))
    expect(parse(r.text).length - 1).toBe(30)
  })

  it('respects filters, search and ordering', async () => {
    for (const qs of ['status=denied', 'search=care', 'ordering=billed_amount', 'ordering=-claim_number&payer_name__icontains=a', 'min_amount=100&ordering=service_date']) {
      const r = await exportOf(`/api/v1/claims/?${qs}&format=csv`)
      expect(r.status, qs).toBe(200)
      const { count, rows } = await jsonRows(qs)
      const records = parse(r.text) as string[][]
      expect(records.length - 1, qs).toBe(count)
      expect(records.slice(1), qs).toEqual(rows.map(asCsvCells))
    }
  })

  it('answers Accept: text/csv on every claims list, and keeps tenants apart', async () => {
    const r = await exportOf('/api/v1/claims/', { accept: 'text/csv' }, a.token)
    expect(r.headers['content-type']).toBe('text/csv; charset=utf-8')
    expect(parse(r.text).length - 1).toBe(3)
    for (const path of ['/api/v1/uploads/', '/api/v1/uploads/recent_with_errors/', `/api/v1/uploads/${a.upload.id}/claim_records/`, '/api/v1/drift/reports/', '/api/v1/drift/events/']) {
      const e = await exportOf(path, { accept: 'text/csv' }, a.token)
      expect(e.status, path).toBe(200)
      expect(e.headers['content-type'], path).toBe('text/csv; charset=utf-8')
    }
    const uploads = parse((await exportOf('/api/v1/uploads/?format=csv', {}, a.token)).text) as string[][]
    const json = (await callHandler(handle, { path: '/api/v1/uploads/', token: a.token })).json as { results: Record<string, unknown>[] }
    expect(uploads.slice(1)).toEqual(json.results.map((u) => uploads[0]!.map((f) => (u[f] === null ? '' : String(u[f])))))
  })

  it('an export of another tenant\'s upload is a 404, as its list is', async () => {
    const other = await exportOf(`/api/v1/uploads/${a.upload.id}/claim_records/?format=csv`)
    expect(other.status).toBe(404)
    expect(other.json).toEqual({ detail: 'Not found.' })
  })
})

describe('NDJSON export', () => {
  it('streams one JSON object per line, equal to the JSON page\'s results', async () => {
    for (const headers of [{ accept: 'application/x-ndjson' }, {}] as Record<string, string>[]) {
      const path = headers.accept ? '/api/v1/claims/?ordering=billed_amount' : '/api/v1/claims/?ordering=billed_amount&format=ndjson'
      const r = await exportOf(path, headers)
      expect(r.headers['content-type']).toBe('application/x-ndjson; charset=utf-8')
      const lines = r.text.split('\n')
      expect(lines.pop()).toBe('')
      const { rows } = await jsonRows('ordering=billed_amount')
      expect(lines.map((l) => JSON.parse(l))).toEqual(rows)
    }
  })
})

describe('negotiation and bad input', () => {
  it('answers JSON for browsers, */* and Accept without an export type, and for format=json', async () => {
    for (const accept of ['text/html,application/xhtml+xml,*/*;q=0.8', '*/*', 'application/json, text/csv;q=0.5', 'application/xml', 'text/csv;q=0']) {
      const r = await callHandler(handle, { path: '/api/v1/claims/', token, headers: { accept } })
      expect(r.headers['content-type'], accept).toMatch(/^application\/json/)
    }
    expect((await callHandler(handle, { path: '/api/v1/claims/', token, headers: { accept: 'application/json;q=0.5, text/csv' } })).headers['content-type']).toMatch(/^text\/csv/)
    expect((await callHandler(handle, { path: '/api/v1/claims/?format=json', token, headers: { accept: 'text/csv' } })).headers['content-type']).toMatch(/^application\/json/)
  })

  it('an unknown or repeated format is a 400 naming the choices', async () => {
    const r = await callHandler(handle, { path: '/api/v1/claims/?format=xml', token })
    expect(r.status).toBe(400)
    expect(r.json).toEqual({ format: ['Select a valid choice. "xml" is not one of: json, csv, ndjson.'] })
    const twice = await callHandler(handle, { path: '/api/v1/claims/?format=csv&format=json', token })
    expect(twice.status).toBe(400)
    expect(twice.json).toEqual({ format: ['Only one value is allowed; got 2.'] })
  })

  it('paging parameters with an export are a 400 (an export has every row)', async () => {
    const r = await callHandler(handle, { path: '/api/v1/claims/?format=csv&page=2&cursor=abc.def&page_size=10', token })
    expect(r.status).toBe(400)
    expect(Object.keys(r.json as object).sort()).toEqual(['cursor', 'page', 'page_size'])
    expect((r.json as Record<string, string[]>).page![0]).toMatch(/An export has every row/)
    // and the list's own validation still applies
    const bad = await callHandler(handle, { path: '/api/v1/claims/?format=csv&min_amount=abc&ordering=nope', token })
    expect(bad.status).toBe(400)
    expect(Object.keys(bad.json as object).sort()).toEqual(['min_amount', 'ordering'])
    // format is a known parameter of the JSON list: next links keep it
    const page = await callHandler(handle, { path: '/api/v1/claims/?format=json&page_size=5', token })
    expect(page.status).toBe(200)
    expect((page.json as { next: string }).next).toContain('format=json')
  })

  it('a list without an export answers 406 to an export request', async () => {
    const r = await callHandler(handle, { path: '/api/v1/plain/?format=csv', token })
    expect(r.status).toBe(406)
    expect(r.json).toEqual({ detail: 'This operation cannot answer format "csv"; it answers: json.' })
  })
})

const batchQueries = () => counter.statements.filter((s) => s.includes('claim_records')).length
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
/** Waits until the batch queries stop growing for `quietMs`, and returns their number. */
async function settled(quietMs = 400, maxMs = 10_000): Promise<number> {
  const end = Date.now() + maxMs
  let last = batchQueries()
  for (;;) {
    await sleep(quietMs)
    const now = batchQueries()
    if (now === last || Date.now() > end) return now
    last = now
  }
}

describe('backpressure and disconnects', () => {
  it('a consumer that stops reading pauses the export; destroying the body stops it', async () => {
    counter.reset()
    const r = await callHandler(handle, { path: '/api/v1/claims/?format=csv', token: bulk.token })
    const body = r.body as Readable
    const first: unknown = await new Promise((resolve) => body.once('data', resolve))
    expect(String(first)).toContain('id,upload_id,claim_number')
    body.pause()
    const paused = await settled()
    expect(paused).toBeLessThan(Math.ceil(BULK_ROWS / BATCH) / 10) // a buffer's worth, not the whole export
    body.destroy()
    await sleep(400)
    expect(batchQueries()).toBeLessThanOrEqual(paused + 1)
    const after = batchQueries()
    await sleep(400)
    expect(batchQueries()).toBe(after)
  })
})

describe('streaming over node:http', () => {
  let server: Server
  let base: string
  const large = () => createClaimsHttpHandler({ upstream, exportBatchSize: 1000 })
  let handleLarge: HttpHandler
  beforeAll(async () => {
    handleLarge = large()
    server = createServer((req, res) => {
      const h = req.url?.includes('large=') ? handleLarge : handle
      void h(fromNodeRequest(req))
        .then((response) => writeNodeResponse(res, response))
        .catch(() => res.destroy())
    })
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })

  it('exports all 20,000 rows of a tenant, equal to the list\'s count', async () => {
    // `large` is an unknown parameter to the list (ignored); here it picks the handler with 1000-row batches
    const res = await new Promise<IncomingMessage>((resolve) => get(`${base}/api/v1/claims/?format=csv&large=1`, { headers: { authorization: `Bearer ${bulk.token}` } }, resolve))
    expect(res.statusCode).toBe(200)
    const body = await text(res)
    const { count } = await jsonRows('', bulk.token)
    expect(count).toBe(BULK_ROWS)
    expect(body.split('\n').length - 2).toBe(count)
  })

  it('a client that disconnects stops the export: no further batch query', async () => {
    counter.reset()
    const req = get(`${base}/api/v1/claims/?format=csv`, { headers: { authorization: `Bearer ${bulk.token}` } })
    const res = await new Promise<IncomingMessage>((resolve) => req.on('response', resolve))
    await once(res, 'data')
    req.destroy()
    const stopped = await settled()
    expect(stopped).toBeLessThan(Math.ceil(BULK_ROWS / BATCH) / 2)
    await sleep(400)
    expect(batchQueries()).toBe(stopped)
  })
})

describe('OpenAPI', () => {
  it('documents the export media types and the format parameter on list operations', async () => {
    const doc = (await callHandler(handle, { path: '/api/v1/schema/', token })).json as {
      paths: Record<string, Record<string, { parameters: { name: string; schema: unknown }[]; responses: Record<string, { content?: Record<string, unknown> }> }>>
    }
    const list = doc.paths['/api/v1/claims/']!.get!
    expect(Object.keys(list.responses['200']!.content!)).toEqual(['application/json', 'text/csv', 'application/x-ndjson'])
    expect(list.parameters.find((p) => p.name === 'format')?.schema).toMatchObject({ enum: ['json', 'csv', 'ndjson'] })
    const plain = doc.paths['/api/v1/plain/']!.get!
    expect(plain.responses['406']).toBeDefined()
    expect(plain.parameters.some((p) => p.name === 'format')).toBe(false)
    expect(z.object({}).safeParse({}).success).toBe(true)
  })
})
