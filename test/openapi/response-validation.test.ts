import type { ClaimsDatabase } from '../../src/claims/index.js'
/**
 * Real responses of every endpoint, through both example servers (Express and Koa, with
 * supertest), validate against the schemas the OpenAPI document gives them (ajv, JSON Schema
 * 2020-12, with formats): success bodies, list envelopes of each pagination style, and error
 * bodies (400, 401, 403, 404, 413, 415, 422, 429, 503).
 */
import type { Server } from 'node:http'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp as createExpressApp } from '../../examples/express/create-app.js'
import { createApp as createKoaApp } from '../../examples/koa/create-app.js'
import { seedDatabase, type SeededCustomer } from '../../scripts/seed/seed-database.js'
import { createDatabase } from '../../src/db/create-database.js'
import type { UpstreamDatabase } from '../../src/db/upstream-database.js'
import type { ClaimsHttpHandlerOptions } from '../support/upstream.js'
import { claimsOpenApiDocument } from '../support/upstream.js'
import { createTestDatabase, type TestDatabase } from '../support/test-database.js'
import { OpenApiResponseValidator } from './openapi-schema-validator.js'

type AppTarget = Parameters<typeof request>[0]
type HttpOptions = Omit<ClaimsHttpHandlerOptions, 'upstream' | 'logger'>
const SERVERS: ReadonlyArray<readonly [string, (upstream: UpstreamDatabase<ClaimsDatabase>, http?: HttpOptions) => AppTarget]> = [
  ['express', (upstream, http) => createExpressApp({ upstream, ...(http ? { http } : {}) })],
  ['koa', (upstream, http) => createKoaApp({ upstream, ...(http ? { http } : {}) }).callback()],
]

const validator = new OpenApiResponseValidator(claimsOpenApiDocument())
const CSV_HEADER = 'claim_number,payer_name,cpt_code,service_date,billed_amount,allowed_amount,paid_amount,status,denial_reason'
const csv = (rows: string[]) => `${CSV_HEADER}\n${rows.join('\n')}\n`

let upstream: TestDatabase
let a: SeededCustomer
let b: SeededCustomer

beforeAll(async () => {
  upstream = await createTestDatabase()
  const customers = await seedDatabase(upstream, { customers: 2, claimsPerCustomer: 6000, seed: 'openapi', driftPayer: 'Medicare', asOf: '2026-06-01' })
  ;[a, b] = customers as [SeededCustomer, SeededCustomer]
})
afterAll(async () => upstream?.destroy())

describe.each(SERVERS)('responses of the %s example validate against the document', (_name, makeApp) => {
  let app: AppTarget
  const seen = new Set<string>()

  /** Sends, then checks the body against the documented schema of (method, path, status). */
  async function call(method: 'get' | 'post', url: string, options: { token?: string; body?: string | object; type?: string; expect: number }) {
    let req = request(app)[method](url)
    if (options.token) req = req.set('Authorization', `Bearer ${options.token}`)
    if (options.type) req = req.set('Content-Type', options.type)
    if (options.body !== undefined) req = req.send(options.body)
    const res = await req
    expect(res.status, `${method.toUpperCase()} ${url}: ${JSON.stringify(res.body).slice(0, 300)}`).toBe(options.expect)
    expect(res.headers['content-type']).toMatch(/^application\/json/)
    const path = new URL(url, 'http://x').pathname
    expect(validator.errors(method, path, res.status, res.body), `${method.toUpperCase()} ${url} -> ${res.status}`).toEqual([])
    seen.add(`${method} ${validator.template(path)} ${res.status}`)
    return res
  }

  beforeAll(() => {
    app = makeApp(upstream)
  })

  it('uploads: list, create (201, 422, 400, 415, 403), one, its claims, failed ones, statistics', async () => {
    const list = await call('get', '/api/v1/uploads/?ordering=-row_count&page_size=5', { token: a.token, expect: 200 })
    expect(list.body.results.length).toBeGreaterThan(0)
    await call('get', '/api/v1/uploads/?status=failed&search=csv', { token: a.token, expect: 200 })
    await call('get', '/api/v1/uploads/?ordering=nope', { token: a.token, expect: 400 })
    await call('get', '/api/v1/uploads/?page=9999', { token: a.token, expect: 404 })

    const created = await call('post', `/api/v1/uploads/?filename=${_name}-ok.csv`, {
      token: a.token,
      type: 'text/csv',
      body: csv([`${_name}-1,Aetna,99213,2026-05-02,120.00,100.00,90.00,paid,`, `${_name}-2,Cigna,99214,2026-05-03,80.5,,,submitted,`]),
      expect: 201,
    })
    expect(created.body.status).toBe('success')
    const failed = await call('post', `/api/v1/uploads/?filename=${_name}-bad.csv`, {
      token: a.token,
      type: 'text/csv',
      body: csv([`${_name}-3,Aetna,99213,2026-02-30,12.345,,,paid,`]),
      expect: 422,
    })
    expect(failed.body.errors.length).toBeGreaterThan(0)
    await call('post', `/api/v1/uploads/?filename=${_name}-empty.csv`, { token: a.token, type: 'text/csv', body: '', expect: 400 })
    await call('post', `/api/v1/uploads/?filename=${_name}.json`, { token: a.token, type: 'application/json', body: { a: 1 }, expect: 415 })
    await call('post', `/api/v1/uploads/?filename=${_name}-ro.csv`, { token: a.read_token, type: 'text/csv', body: csv([]), expect: 403 })

    await call('get', `/api/v1/uploads/${created.body.id}/`, { token: a.token, expect: 200 })
    await call('get', `/api/v1/uploads/${created.body.id}/`, { token: b.token, expect: 404 })
    const claims = await call('get', `/api/v1/uploads/${created.body.id}/claim_records/`, { token: a.token, expect: 200 })
    expect(claims.body.count).toBe(2)
    const recent = await call('get', '/api/v1/uploads/recent_with_errors/', { token: a.token, expect: 200 })
    expect(recent.body.results.some((u: { id: number }) => u.id === failed.body.upload.id)).toBe(true)
    const stats = await call('get', '/api/v1/uploads/statistics/?start_date=2020-01-01&end_date=2030-12-31', { token: a.token, expect: 200 })
    expect(stats.body.total_uploads).toBeGreaterThan(0)
    await call('get', '/api/v1/uploads/statistics/?start_date=2024-02-30', { token: a.token, expect: 400 })
  })

  it('claims: page-number and cursor pages, filters, one claim, bad input, tenancy', async () => {
    const page = await call('get', '/api/v1/claims/?status=paid&status=denied&min_amount=10&ordering=-billed_amount,service_date&page_size=20', {
      token: a.token,
      expect: 200,
    })
    expect(page.body.results).toHaveLength(20)
    expect(page.body.next).toMatch(/^http/)
    await call('get', '/api/v1/claims/?search=medicare%2099&date_after=2026-01-01&date_before=2026-05-31', { token: a.read_token, expect: 200 })
    const first = await call('get', '/api/v1/claims/?pagination=cursor&page_size=10', { token: a.token, expect: 200 })
    expect(first.body).not.toHaveProperty('count')
    const next = new URL(first.body.next as string)
    await call('get', `${next.pathname}${next.search}`, { token: a.token, expect: 200 })
    await call('get', '/api/v1/claims/?cursor=not-a-cursor', { token: a.token, expect: 400 })
    await call('get', '/api/v1/claims/?min_amount=1.234&service_date=2026-02-30&page=0', { token: a.token, expect: 400 })
    await call('get', '/api/v1/claims/?page=last', { token: a.token, expect: 200 })
    const id = page.body.results[0].id as number
    await call('get', `/api/v1/claims/${id}/`, { token: a.token, expect: 200 })
    await call('get', `/api/v1/claims/${id}/`, { token: b.token, expect: 404 })
  })

  it('drift: run (201 then 200), bad body, reports, one report with events, events', async () => {
    const body = { as_of: '2026-06-01', min_claims: 20, group_by: 'payer' }
    const created = await call('post', '/api/v1/drift/reports/', { token: a.token, body: { ...body, force: true }, expect: 201 })
    expect(created.body.events_count).toBeGreaterThan(0)
    await call('post', '/api/v1/drift/reports/', { token: a.token, body, expect: 200 })
    await call('post', '/api/v1/drift/reports/', { token: a.token, body: { group_by: 'nope', alpha: 2 }, expect: 400 })
    await call('post', '/api/v1/drift/reports/', { token: a.read_token, body, expect: 403 })
    await call('get', '/api/v1/drift/reports/', { token: a.token, expect: 200 })
    const detail = await call('get', `/api/v1/drift/reports/${created.body.id}/`, { token: a.token, expect: 200 })
    expect(detail.body.events.length).toBe(created.body.events_count)
    await call('get', `/api/v1/drift/reports/${created.body.id}/`, { token: b.token, expect: 404 })
    const events = await call('get', `/api/v1/drift/events/?report=${created.body.id}&ordering=p_value`, { token: a.token, expect: 200 })
    expect(events.body.count).toBeGreaterThan(0)
    await call('get', '/api/v1/drift/events/?severity=extreme', { token: a.token, expect: 400 })
  })

  it('authentication errors: 401 with WWW-Authenticate', async () => {
    const missing = await call('get', '/api/v1/claims/', { expect: 401 })
    expect(missing.headers['www-authenticate']).toBe('Bearer')
    await call('get', '/api/v1/claims/', { token: 'up_not_a_real_token', expect: 401 })
  })

  it('413 body too large, 429 throttled, 503 database unavailable', async () => {
    const small = makeApp(upstream, { maxUploadBytes: 1024 })
    const big = csv(Array.from({ length: 200 }, (_, i) => `${_name}-big-${i},Aetna,99213,2026-05-02,120.00,100.00,90.00,paid,`))
    const tooLarge = await request(small).post(`/api/v1/uploads/?filename=big.csv`).set('Authorization', `Bearer ${a.token}`).set('Content-Type', 'text/csv').send(big)
    expect(tooLarge.status).toBe(413)
    expect(validator.errors('post', '/api/v1/uploads/', 413, tooLarge.body)).toEqual([])
    seen.add('post /api/v1/uploads/ 413')

    const throttled = makeApp(upstream, { throttle: { capacity: 1, refillPerSecond: 0.001 } })
    await request(throttled).get('/api/v1/claims/?page_size=1').set('Authorization', `Bearer ${a.token}`).expect(200)
    const limited = await request(throttled).get('/api/v1/claims/?page_size=1').set('Authorization', `Bearer ${a.token}`)
    expect(limited.status).toBe(429)
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0)
    expect(validator.errors('get', '/api/v1/claims/', 429, limited.body)).toEqual([])
    seen.add('get /api/v1/claims/ 429')

    const unreachable = await createDatabase<ClaimsDatabase>({ connectionString: 'postgres://postgres@127.0.0.1:1/none', pool: { connectionTimeoutMillis: 500 } })
    try {
      const down = makeApp(unreachable, { resolveToken: async () => ({ customerId: 1, scopes: ['read', 'write'] }) })
      const res = await request(down).get('/api/v1/claims/').set('Authorization', 'Bearer anything')
      expect(res.status).toBe(503)
      expect(validator.errors('get', '/api/v1/claims/', 503, res.body)).toEqual([])
      seen.add('get /api/v1/claims/ 503')
    } finally {
      await unreachable.destroy()
    }
  })

  it('covered a 2xx of every documented operation and every error status of CONTRACT section 2 but 409', async () => {
    const doc = claimsOpenApiDocument()
    for (const [path, item] of Object.entries(doc.paths ?? {})) {
      for (const method of Object.keys(item as object)) {
        const ok = [...seen].some((s) => s.startsWith(`${method} ${path} 2`))
        expect(ok, `${method} ${path} answered 2xx and was validated`).toBe(true)
      }
    }
    const statuses = new Set([...seen].map((s) => s.split(' ')[2]))
    for (const status of ['400', '401', '403', '404', '413', '415', '422', '429', '503']) expect(statuses, status).toContain(status)
  })

  it('serves the document on /schema/ and the page on /docs/', async () => {
    const schema = await request(app).get('/api/v1/schema/').expect(200)
    expect(schema.body).toEqual(JSON.parse(JSON.stringify(claimsOpenApiDocument())))
    const docs = await request(app).get('/api/v1/docs/').expect(200)
    expect(docs.headers['content-type']).toMatch(/^text\/html/)
    expect(docs.text).toContain('/api/v1/schema/')
    const bundle = await request(app).get('/api/v1/docs/swagger-ui-bundle.js').expect(200)
    expect(bundle.headers['content-type']).toMatch(/javascript/)
    await request(app).get('/api/v1/docs/..%2Fpackage.json').expect(404)
  })
})

// Keep the import of Server used by type-only consumers of supertest targets.
export type { Server }
