import type { RequestListener } from 'node:http'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp as createExpressApp } from '../../examples/express/create-app.js'
import { createApp as createKoaApp } from '../../examples/koa/create-app.js'
import { createClaimsHttpHandler, type ClaimsHttpHandlerOptions } from '../support/upstream.js'
import { fromNodeRequest, writeNodeResponse } from '../../src/http/node-adapter.js'
import { createTestDatabase, type TestDatabase } from '../support/test-database.js'
import { createE2eFixture, csvRows, CSV_HEADER, type E2eTenant } from './e2e-fixture.js'

type AppFactory = (upstream: TestDatabase, http?: Omit<ClaimsHttpHandlerOptions, 'upstream' | 'logger'>) => RequestListener
const servers: [string, AppFactory][] = [
  ['express', (upstream, http) => createExpressApp({ upstream, http })],
  ['koa', (upstream, http) => createKoaApp({ upstream, http }).callback()],
]

let upstream: TestDatabase
let a: E2eTenant
let b: E2eTenant

beforeAll(async () => {
  upstream = await createTestDatabase()
  ;({ a, b } = await createE2eFixture(upstream))
})
afterAll(async () => upstream?.destroy())

const NOT_PROVIDED = { detail: 'Authentication credentials were not provided.' }
const INVALID = { detail: 'Invalid token.' }
const DENIED = { detail: 'You do not have permission to perform this action.' }
const NOT_FOUND = { detail: 'Not found.' }
const INVALID_PAGE = { detail: 'Invalid page.' }

describe.each(servers)('the %s example (CONTRACT sections 2, 3, 5)', (_name, factory) => {
  let app: RequestListener
  beforeAll(() => {
    app = factory(upstream, { maxUploadBytes: 64 * 1024 })
  })
  const get = (path: string, token = a.token) => request(app).get(path).set('Authorization', `Bearer ${token}`)

  describe('authentication and permissions', () => {
    it('answers 401 with WWW-Authenticate: Bearer for every bad credential', async () => {
      const cases: [string | undefined, object][] = [
        [undefined, NOT_PROVIDED],
        ['Bearer', INVALID],
        [`Bearer ${a.token} ${a.token}`, INVALID],
        [`Basic ${Buffer.from('a:b').toString('base64')}`, INVALID],
        ['Bearer up_unknown', INVALID],
        [`Bearer ${a.revokedToken}`, INVALID],
      ]
      for (const [header, body] of cases) {
        const req = request(app).get('/api/v1/claims/')
        const r = header === undefined ? await req : await req.set('Authorization', header)
        expect(r.status, String(header)).toBe(401)
        expect(r.body).toEqual(body)
        expect(r.headers['www-authenticate']).toBe('Bearer')
      }
    })

    it('answers 403 to a read-only key on POST', async () => {
      const drift = await request(app).post('/api/v1/drift/reports/').set('Authorization', `Bearer ${a.readToken}`).send({})
      expect(drift.status).toBe(403)
      expect(drift.body).toEqual(DENIED)
      const upload = await request(app).post('/api/v1/uploads/?filename=x.csv').set('Authorization', `Bearer ${a.readToken}`).type('text/csv').send(csvRows('ro', 1))
      expect(upload.status).toBe(403)
      expect(upload.body).toEqual(DENIED)
      expect((await get('/api/v1/claims/', a.readToken)).status).toBe(200)
    })
  })

  describe('every endpoint', () => {
    it('lists and retrieves uploads', async () => {
      const list = await get('/api/v1/uploads/')
      expect(list.status).toBe(200)
      expect(list.body).toMatchObject({ count: 2, next: null, previous: null })
      expect(list.body.results.map((u: { filename: string }) => u.filename).sort()).toEqual(['a-broken.csv', 'a-claims.csv'])
      const one = await get(`/api/v1/uploads/${a.upload.id}/`)
      expect(one.status).toBe(200)
      expect(Object.keys(one.body).sort()).toEqual(
        ['error_message', 'filename', 'id', 'processing_completed_at', 'processing_started_at', 'processing_time', 'row_count', 'status', 'uploaded_at'].sort(),
      )
      expect(one.body).toMatchObject({ id: a.upload.id, status: 'success', row_count: 510 })
      expect(typeof one.body.processing_time).toBe('number')
      expect(one.body.uploaded_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/)
    })

    it("lists an upload's claims by claim_number, and failed uploads", async () => {
      const claims = await get(`/api/v1/uploads/${a.upload.id}/claim_records/?page_size=3`)
      expect(claims.status).toBe(200)
      expect(claims.body.count).toBe(510)
      expect(claims.body.results.map((c: { claim_number: string }) => c.claim_number)).toEqual(['a-00001', 'a-00002', 'a-00003'])
      const failed = await get('/api/v1/uploads/recent_with_errors/')
      expect(failed.status).toBe(200)
      expect(failed.body.count).toBe(1)
      expect(failed.body.results[0]).toMatchObject({ id: a.failedUpload!.id, status: 'failed' })
    })

    it('answers upload statistics', async () => {
      const r = await get('/api/v1/uploads/statistics/')
      expect(r.status).toBe(200)
      expect(r.body).toMatchObject({ total_uploads: 2, success_count: 1, failed_count: 1 })
      expect(typeof r.body.avg_processing_time).toBe('number')
      const none = await get('/api/v1/uploads/statistics/?start_date=2000-01-01&end_date=2000-01-02')
      expect(none.body).toEqual({ total_uploads: 0, success_count: 0, failed_count: 0, avg_processing_time: null })
      expect((await get('/api/v1/uploads/statistics/?start_date=2026-02-30')).status).toBe(400)
    })

    it('lists and retrieves claims with the contract fields and formats', async () => {
      const list = await get('/api/v1/claims/')
      expect(list.status).toBe(200)
      expect(list.body.count).toBe(510)
      expect(list.body.results).toHaveLength(50)
      const dates = list.body.results.map((c: { service_date: string }) => c.service_date)
      expect(dates).toEqual([...dates].sort().reverse())
      const one = await get(`/api/v1/claims/${a.claimIds[0]}/`)
      expect(one.status).toBe(200)
      expect(Object.keys(one.body).sort()).toEqual(
        ['allowed_amount', 'billed_amount', 'claim_number', 'cpt_code', 'created_at', 'denial_reason', 'id', 'paid_amount', 'payer_name', 'service_date', 'status', 'upload_id'].sort(),
      )
      expect(one.body.billed_amount).toMatch(/^\d+\.\d{2}$/)
      expect(one.body.service_date).toMatch(/^\d{4}-\d{2}-\d{2}$/)
      expect(one.body.upload_id).toBe(a.upload.id)
    })

    it('runs drift detection (201 new, 200 existing), lists reports and events, shows one report with events', async () => {
      const body = { as_of: '2026-06-15', min_claims: 2, group_by: 'payer_cpt' }
      const created = await request(app).post('/api/v1/drift/reports/').set('Authorization', `Bearer ${a.token}`).send(body)
      expect([200, 201]).toContain(created.status) // the other server may have run it first
      const again = await request(app).post('/api/v1/drift/reports/').set('Authorization', `Bearer ${a.token}`).send(body)
      expect(again.status).toBe(200)
      expect(again.body.id).toBe(created.body.id)
      expect(Array.isArray(again.body.events)).toBe(true)
      const reports = await get('/api/v1/drift/reports/')
      expect(reports.status).toBe(200)
      expect(reports.body.results.map((r: { id: number }) => r.id)).toContain(a.reportId)
      const detail = await get(`/api/v1/drift/reports/${a.reportId}/`)
      expect(detail.status).toBe(200)
      expect(detail.body).toMatchObject({ id: a.reportId, as_of: '2026-07-01' })
      expect(Array.isArray(detail.body.events)).toBe(true)
      const events = await get('/api/v1/drift/events/?severity=high&ordering=-delta')
      expect(events.status).toBe(200)
      expect(events.body).toHaveProperty('count')
      expect((await get('/api/v1/drift/events/?severity=extreme')).status).toBe(400)
    })

    it('serves /schema/ and /docs/ without a token', async () => {
      const schema = await request(app).get('/api/v1/schema/')
      expect(schema.status).toBe(200)
      expect(schema.body.openapi).toBe('3.1.0')
      const docs = await request(app).get('/api/v1/docs/')
      expect(docs.status).toBe(200)
      expect(docs.headers['content-type']).toMatch(/^text\/html/)
    })

    it('streams a list as CSV (Accept or format=csv) and NDJSON, the same rows as the JSON list', async () => {
      const json = await get('/api/v1/claims/?ordering=claim_number&page_size=500')
      const csv = await get('/api/v1/claims/?ordering=claim_number').set('Accept', 'text/csv').buffer(true).parse((res, done) => {
        let data = ''
        res.setEncoding('utf8')
        res.on('data', (c: string) => (data += c))
        res.on('end', () => done(null, data))
      })
      expect(csv.status).toBe(200)
      expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8')
      const lines = (csv.body as string).trimEnd().split('\n')
      expect(lines[0]).toBe(Object.keys(json.body.results[0]).join(','))
      expect(lines.length - 1).toBe(json.body.count)
      const nd = await get('/api/v1/claims/?ordering=claim_number&format=ndjson').buffer(true).parse((res, done) => {
        let data = ''
        res.setEncoding('utf8')
        res.on('data', (c: string) => (data += c))
        res.on('end', () => done(null, data))
      })
      expect(nd.headers['content-type']).toBe('application/x-ndjson; charset=utf-8')
      const rows = (nd.body as string).trimEnd().split('\n').map((l) => JSON.parse(l))
      expect(rows.length).toBe(json.body.count)
      expect(rows.slice(0, json.body.results.length)).toEqual(json.body.results) // the first page (500 rows at most)
      expect((await get('/api/v1/claims/?format=csv&page=2')).status).toBe(400)
    })

    it('answers HEAD as GET without a body', async () => {
      const r = await request(app).head(`/api/v1/uploads/${a.upload.id}/`).set('Authorization', `Bearer ${a.token}`)
      expect(r.status).toBe(200)
      expect(r.headers['content-type']).toMatch(/^application\/json/)
      expect(r.text ?? '').toBe('')
      expect((await request(app).head('/api/v1/uploads/')).status).toBe(401)
    })

    it('serves /metrics and a request id', async () => {
      const r = await get('/api/v1/claims/?page_size=1').set('X-Request-Id', 'req-e2e-1')
      expect(r.headers['x-request-id']).toBe('req-e2e-1')
      expect((await get('/api/v1/claims/')).headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/)
    })
  })

  describe('tenancy', () => {
    it("answers 404 for another customer's ids, as for missing ones", async () => {
      for (const path of [`/api/v1/uploads/${b.upload.id}/`, `/api/v1/claims/${b.claimIds[0]}/`, `/api/v1/uploads/${b.upload.id}/claim_records/`, `/api/v1/drift/reports/${b.reportId}/`, '/api/v1/claims/999999999/', '/api/v1/claims/abc/']) {
        const r = await get(path)
        expect(r.status, path).toBe(404)
        expect(r.body).toEqual(NOT_FOUND)
      }
    })

    it("matches nothing with another customer's id as a filter value", async () => {
      const r = await get(`/api/v1/claims/?upload=${b.upload.id}`)
      expect(r.status).toBe(200)
      expect(r.body).toEqual({ count: 0, next: null, previous: null, results: [] })
      expect((await get(`/api/v1/drift/events/?report=${b.reportId}`)).body.count).toBe(0)
    })
  })

  describe('pagination', () => {
    it.each(['0', '-1', 'abc', '1.5'])('answers 400 to page=%s', async (page) => {
      const r = await get(`/api/v1/claims/?page=${page}`)
      expect(r.status).toBe(400)
      expect(Object.keys(r.body)).toEqual(['page'])
    })

    it('answers 404 "Invalid page." past the end, and 200 for page 1 of an empty list', async () => {
      const r = await get('/api/v1/claims/?page=999')
      expect(r.status).toBe(404)
      expect(r.body).toEqual(INVALID_PAGE)
      const empty = await get('/api/v1/claims/?status=paid&payer_name=Nobody')
      expect(empty.status).toBe(200)
      expect(empty.body).toEqual({ count: 0, next: null, previous: null, results: [] })
      expect((await get('/api/v1/claims/?page=last&page_size=500')).body.results).toHaveLength(10)
    })

    it('clamps page_size to 500 and rejects a malformed one', async () => {
      const r = await get('/api/v1/claims/?page_size=1000')
      expect(r.status).toBe(200)
      expect(r.body.results).toHaveLength(500)
      expect((await get('/api/v1/claims/?page_size=abc')).status).toBe(400)
    })

    it('answers 400 to a control parameter given twice', async () => {
      for (const query of ['page=1&page=2', 'page_size=5&page_size=6', 'ordering=claim_number&ordering=-claim_number', 'search=a&search=b']) {
        const r = await get(`/api/v1/claims/?${query}`)
        expect(r.status, query).toBe(400)
      }
    })

    it('builds absolute next/previous URLs that keep every other parameter', async () => {
      const first = await get('/api/v1/claims/?status=paid&ordering=-billed_amount&page_size=20&foo=bar')
      expect(first.status).toBe(200)
      expect(first.body.previous).toBeNull()
      const next = new URL(first.body.next)
      expect(next.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      expect(next.pathname).toBe('/api/v1/claims/')
      expect(Object.fromEntries(next.searchParams)).toMatchObject({ status: 'paid', ordering: '-billed_amount', page_size: '20', foo: 'bar', page: '2' })
      const second = await get(`${next.pathname}${next.search}`)
      expect(second.status).toBe(200)
      const previous = new URL(second.body.previous)
      expect(previous.searchParams.get('status')).toBe('paid')
      expect(previous.searchParams.get('page') ?? '1').toBe('1')
      const amounts = [...first.body.results, ...second.body.results].map((c: { billed_amount: string }) => Number(c.billed_amount))
      expect(amounts).toEqual([...amounts].sort((x, y) => y - x))
    })

    it('pages with a cursor, and refuses a tampered one', async () => {
      const first = await get('/api/v1/claims/?pagination=cursor&page_size=100')
      expect(first.status).toBe(200)
      expect(Object.keys(first.body).sort()).toEqual(['next', 'previous', 'results'])
      const next = new URL(first.body.next)
      const second = await get(`${next.pathname}${next.search}`)
      expect(second.status).toBe(200)
      const ids = new Set([...first.body.results, ...second.body.results].map((c: { id: number }) => c.id))
      expect(ids.size).toBe(200)
      expect((await get('/api/v1/claims/?cursor=bm90LWEtY3Vyc29y')).status).toBe(400)
      // another customer's cursor is refused, not followed
      const foreign = await get(`${next.pathname}${next.search}`, b.token)
      expect(foreign.status).toBe(400)
      expect(Object.keys(foreign.body)).toEqual(['cursor'])
    })
  })

  describe('filters, search and ordering', () => {
    it('answers 400 to an unknown ordering field, a bad amount and a bad date', async () => {
      for (const [query, key] of [
        ['ordering=amount', 'ordering'],
        ['min_amount=abc', 'min_amount'],
        ['max_amount=1.234', 'max_amount'],
        ['min_amount=99999999999.00', 'min_amount'],
        ['date_after=2026-02-30', 'date_after'],
        ['service_date=2026-1-5', 'service_date'],
        ['status=lost', 'status'],
      ]) {
        const r = await get(`/api/v1/claims/?${query}`)
        expect(r.status, query).toBe(400)
        expect(Object.keys(r.body), query).toEqual([key])
      }
    })

    it('ignores an empty filter and an unknown parameter', async () => {
      const all = (await get('/api/v1/claims/')).body.count
      expect((await get('/api/v1/claims/?status=')).body.count).toBe(all)
      expect((await get('/api/v1/claims/?colour=blue')).body.count).toBe(all)
    })

    it('matches any value of a repeated filter, every search term, and amount/date ranges', async () => {
      const paid = (await get('/api/v1/claims/?status=paid')).body.count
      const denied = (await get('/api/v1/claims/?status=denied')).body.count
      expect((await get('/api/v1/claims/?status=paid&status=denied')).body.count).toBe(paid + denied)
      const searched = await get('/api/v1/claims/?search=aetna%2099213&page_size=500')
      expect(searched.status).toBe(200)
      for (const c of searched.body.results) expect(`${c.payer_name} ${c.cpt_code}`).toMatch(/Aetna 99213/)
      const ranged = await get('/api/v1/claims/?min_amount=500&max_amount=600.50&date_after=2026-02-01&date_before=2026-03-31&page_size=500')
      for (const c of ranged.body.results) {
        expect(Number(c.billed_amount)).toBeGreaterThanOrEqual(500)
        expect(Number(c.billed_amount)).toBeLessThanOrEqual(600.5)
        expect(c.service_date >= '2026-02-01' && c.service_date <= '2026-03-31').toBe(true)
      }
    })

    it('answers a path without its trailing slash as with it', async () => {
      const withSlash = await get('/api/v1/claims/?page_size=3')
      const without = await get('/api/v1/claims?page_size=3')
      expect(without.status).toBe(200)
      expect(without.body.results).toEqual(withSlash.body.results)
      expect((await get(`/api/v1/uploads/${a.upload.id}`)).status).toBe(200)
    })
  })

  describe('uploads (CONTRACT section 5)', () => {
    const post = (query: string) => request(app).post(`/api/v1/uploads/${query}`).set('Authorization', `Bearer ${b.token}`)

    it('answers 201 with the upload for a valid CSV', async () => {
      const r = await post(`?filename=${_name}-new.csv`).type('text/csv').send(csvRows(`${_name}-new`, 5))
      expect(r.status).toBe(201)
      expect(r.body).toMatchObject({ filename: `${_name}-new.csv`, status: 'success', row_count: 5, error_message: null })
    })

    it('answers 422 with the failed upload and 1-based line errors, loading nothing', async () => {
      const csv = `${CSV_HEADER}\nOK-1,Aetna,99213,2026-01-05,10.00,,,paid,\nBAD-1,Aetna,99213,2026-13-01,10.00,,,paid,\nBAD-2,Aetna,99213,2026-01-05,ten,,,paid,\n`
      const r = await post(`?filename=${_name}-bad.csv`).type('text/csv').send(csv)
      expect(r.status).toBe(422)
      expect(r.body.upload).toMatchObject({ filename: `${_name}-bad.csv`, status: 'failed' })
      expect(r.body.errors.map((e: { line: number; column: string }) => [e.line, e.column])).toEqual([
        [3, 'service_date'],
        [4, 'billed_amount'],
      ])
      expect(typeof r.body.detail).toBe('string')
      const claims = await request(app).get(`/api/v1/uploads/${r.body.upload.id}/claim_records/`).set('Authorization', `Bearer ${b.token}`)
      expect(claims.body.count).toBe(0)
    })

    it('answers 400 without a filename or with an empty body, 415 for another type, 413 past the limit', async () => {
      expect((await post('').type('text/csv').send(csvRows('x', 1))).body).toEqual({ filename: ['This field is required.'] })
      const empty = await post('?filename=empty.csv').type('text/csv').send('')
      expect(empty.status).toBe(400)
      const wrongType = await post('?filename=x.json').type('application/json').send('{"a":1}')
      expect(wrongType.status).toBe(415)
      expect(wrongType.body).toEqual({ detail: 'Unsupported media type "application/json" in request.' })
      const big = await post('?filename=big.csv').type('text/csv').send(csvRows('big', 2000))
      expect(big.status).toBe(413)
      expect(Object.keys(big.body)).toEqual(['detail'])
    })
  })

  describe('throttling (when configured)', () => {
    it('answers 429 with Retry-After past the burst', async () => {
      const throttled = factory(upstream, { throttle: { capacity: 2, refillPerSecond: 0.5 } })
      const hit = () => request(throttled).get('/api/v1/uploads/statistics/').set('Authorization', `Bearer ${a.token}`)
      expect((await hit()).status).toBe(200)
      expect((await hit()).status).toBe(200)
      const r = await hit()
      expect(r.status).toBe(429)
      expect(r.headers['retry-after']).toBe('2')
      expect(r.body).toEqual({ detail: 'Request was throttled. Expected available in 2 seconds.' })
    })
  })
})

describe('both examples answer identically', () => {
  const paths = [
    ['GET', '/api/v1/claims/', undefined],
    ['GET', '/api/v1/claims', 'rw'],
    ['GET', '/api/v1/claims/?status=paid&ordering=-billed_amount&page_size=7&page=2', 'rw'],
    ['GET', '/api/v1/claims/?page=0', 'rw'],
    ['GET', '/api/v1/claims/?page=999', 'rw'],
    ['GET', '/api/v1/claims/?ordering=nope', 'rw'],
    ['GET', '/api/v1/claims/abc/', 'rw'],
    ['GET', '/api/v1/uploads/', 'rw'],
    ['GET', '/api/v1/uploads/recent_with_errors/', 'rw'],
    ['GET', '/api/v1/uploads/statistics/', 'rw'],
    ['GET', '/api/v1/drift/reports/', 'rw'],
    ['GET', '/api/v1/drift/events/', 'rw'],
    ['GET', '/api/v1/uploads/', 'revoked'],
    ['POST', '/api/v1/drift/reports/', 'ro'],
    ['PUT', '/api/v1/claims/', 'rw'],
    ['GET', '/api/v1/nowhere/', 'rw'],
    ['GET', '/api/v1/schema/', undefined],
  ] as const

  it('gives the same status, headers that matter and body for the same requests (and so does bare node:http)', async () => {
    const [express, koa] = servers.map(([, factory]) => factory(upstream))
    const handle = createClaimsHttpHandler({ upstream, logger: { error: () => {}, warn: () => {} } })
    const bare: RequestListener = (req, res) => void handle(fromNodeRequest(req)).then((response) => writeNodeResponse(res, response))
    const token = { rw: a.token, ro: a.readToken, revoked: a.revokedToken }
    const normalize = (r: request.Response) => ({
      status: r.status,
      type: r.headers['content-type'],
      auth: r.headers['www-authenticate'],
      allow: r.headers.allow,
      body: JSON.parse(JSON.stringify(r.body).replace(/http:\/\/127\.0\.0\.1:\d+/g, 'ORIGIN')),
    })
    for (const [method, path, key] of paths) {
      const [x, k, n] = await Promise.all(
        [express!, koa!, bare].map((app) => {
          const req = request(app)[method.toLowerCase() as 'get'](path)
          return key ? req.set('Authorization', `Bearer ${token[key]}`) : req
        }),
      )
      expect(normalize(k!), `koa: ${method} ${path}`).toEqual(normalize(x!))
      expect(normalize(n!), `node:http: ${method} ${path}`).toEqual(normalize(x!))
    }
  })
})
