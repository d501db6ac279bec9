import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClaimsHttpHandler, type HttpHandler } from '../support/upstream.js'
import { ValidationError } from '../../src/errors/validation-error.js'
import { jsonResponse } from '../../src/http/http-response.js'
import { tenantOperation } from '../../src/http/operation.js'
import { claimsTenant } from '../../src/claims/index.js'
import { createTestDatabase, type TestDatabase } from '../support/test-database.js'
import { callHandler } from './call-handler.js'
import { createHttpFixture, type FixtureTenant } from './http-fixture.js'

let upstream: TestDatabase
let a: FixtureTenant
let b: FixtureTenant
let handle: HttpHandler
const NOT_FOUND = { detail: 'Not found.' }

beforeAll(async () => {
  upstream = await createTestDatabase()
  ;({ a, b } = await createHttpFixture(upstream))
  handle = createClaimsHttpHandler({ upstream })
})
afterAll(async () => upstream?.destroy())

describe('routing', () => {
  it('answers with and without the trailing slash, with and without the base path', async () => {
    for (const path of [`/api/v1/uploads/${a.upload.id}/`, `/api/v1/uploads/${a.upload.id}`, `/uploads/${a.upload.id}/`]) {
      const r = await callHandler(handle, { path, token: a.token })
      expect(r.status, path).toBe(200)
      expect(r.route).toBe('/api/v1/uploads/{id}/')
    }
  })

  it.each(['abc', '0', '-1', '1.5', '1e3', '99999999999999999999', '%20'])('answers 404 "Not found." for the id %s', async (id) => {
    const r = await callHandler(handle, { path: `/api/v1/claims/${id}/`, token: a.token })
    expect(r.status).toBe(404)
    expect(r.json).toEqual(NOT_FOUND)
  })

  it('answers 404 to other spellings of an existing id (hex, sign, decimals, padding, exponent)', async () => {
    const id = a.claims[0]!.id
    for (const spelling of [`0x${id.toString(16)}`, `+${id}`, `${id}.0`, `%20${id}`, `${id}e0`]) {
      const r = await callHandler(handle, { path: `/api/v1/claims/${spelling}/`, token: a.token })
      expect(r.status, spelling).toBe(404)
    }
    expect((await callHandler(handle, { path: `/api/v1/claims/${id}/`, token: a.token })).status).toBe(200)
  })

  it('answers 404 for another tenant\'s ids, exactly as for missing ones', async () => {
    const paths = [`/api/v1/uploads/${b.upload.id}/`, `/api/v1/claims/${b.claims[0]!.id}/`, `/api/v1/uploads/${b.upload.id}/claim_records/`, '/api/v1/drift/reports/999999/']
    for (const path of paths) {
      const r = await callHandler(handle, { path, token: a.token })
      expect(r.status, path).toBe(404)
      expect(r.json).toEqual(NOT_FOUND)
    }
  })

  it('answers 404 for unknown paths and 405 with Allow for unknown methods', async () => {
    expect((await callHandler(handle, { path: '/api/v1/nothing/', token: a.token })).json).toEqual(NOT_FOUND)
    const r = await callHandler(handle, { method: 'PUT', path: '/api/v1/uploads/', token: a.token })
    expect(r.status).toBe(405)
    expect(r.json).toEqual({ detail: 'Method "PUT" not allowed.' })
    expect(r.headers.allow).toBe('GET, POST')
  })

  it('serves the docs page assets and 404s any other name', async () => {
    const css = await callHandler(handle, { path: '/api/v1/docs/swagger-ui.css' })
    expect(css.status).toBe(200)
    expect(css.headers['content-type']).toMatch(/^text\/css/)
    ;(css.body as NodeJS.ReadableStream & { destroy(): void }).destroy()
    expect((await callHandler(handle, { path: '/api/v1/docs/..%2Fpackage.json' })).status).toBe(404)
  })
})

describe('extra routes', () => {
  it('serves an app route behind the same authentication, permissions and error mapping', async () => {
    const custom = createClaimsHttpHandler({
      upstream,
      operations: [
        tenantOperation({
          method: 'GET',
          path: '/me/',
          operationId: 'me_retrieve',
          handle: async ({ principal }) => jsonResponse(200, { customer_id: principal.customerId }),
        }),
        tenantOperation({
          method: 'POST',
          path: '/me/',
          operationId: 'me_update',
          handle: async () => {
            throw new ValidationError({ name: ['Required.'] })
          },
        }),
      ],
    })
    expect((await callHandler(custom, { path: '/api/v1/me', token: a.token })).json).toEqual({ customer_id: a.customerId })
    expect((await callHandler(custom, { path: '/api/v1/me/' })).status).toBe(401)
    expect((await callHandler(custom, { method: 'POST', path: '/api/v1/me/', token: a.readToken })).status).toBe(403)
    expect((await callHandler(custom, { method: 'POST', path: '/api/v1/me/', token: a.token })).json).toEqual({ name: ['Required.'] })
    expect((await callHandler(custom, { path: '/api/v1/claims/', token: a.token })).status).toBe(200)
  })
})

describe('upload claim lists', () => {
  it("counts one upload's claims, never another upload's (count cache keyed per upload)", async () => {
    const other = await claimsTenant(upstream, a.customerId).transaction(({ uploads }) => uploads.create({ filename: 'empty.csv', status: 'success', row_count: 0 }))
    const empty = await callHandler(handle, { path: `/api/v1/uploads/${other.id}/claim_records/`, token: a.token })
    expect(empty.json).toEqual({ count: 0, next: null, previous: null, results: [] })
    expect((await callHandler(handle, { path: `/api/v1/uploads/${b.upload.id}/claim_records/`, token: a.token })).status).toBe(404)
    const own = await callHandler(handle, { path: `/api/v1/uploads/${a.upload.id}/claim_records/`, token: a.token })
    expect(own.status).toBe(200)
    expect((own.json as { count: number }).count).toBe(3)
    expect((own.json as { results: { claim_number: string }[] }).results.map((c) => c.claim_number)).toEqual(['a-1', 'a-2', 'a-3'])
  })
})

describe('presenters', () => {
  it('writes an upload with ISO timestamps and processing_time in seconds', async () => {
    const r = await callHandler(handle, { path: `/api/v1/uploads/${a.upload.id}/`, token: a.token })
    expect(r.json).toEqual({
      id: a.upload.id,
      filename: 'a.csv',
      status: 'success',
      row_count: 3,
      error_message: null,
      uploaded_at: '2026-03-01T10:00:00.000Z',
      processing_started_at: '2026-03-01T10:00:00.000Z',
      processing_completed_at: '2026-03-01T10:00:01.500Z',
      processing_time: 1.5,
    })
  })

  it('writes a claim with exactly the contract fields, amounts as two-decimal strings', async () => {
    const [first, second, third] = a.claims
    const r1 = await callHandler(handle, { path: `/api/v1/claims/${first!.id}/`, token: a.token })
    expect(r1.json).toEqual({
      id: first!.id,
      upload_id: a.upload.id,
      claim_number: 'a-1',
      payer_name: 'Aetna',
      cpt_code: '99213',
      service_date: '2026-02-01',
      billed_amount: '100.50',
      allowed_amount: '80.00',
      paid_amount: null,
      status: 'denied',
      denial_reason: 'CO-97',
      created_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
    })
    const r2 = (await callHandler(handle, { path: `/api/v1/claims/${second!.id}/`, token: a.token })).json as Record<string, unknown>
    expect(r2.billed_amount).toBe('1234.50')
    const r3 = (await callHandler(handle, { path: `/api/v1/claims/${third!.id}/`, token: a.token })).json as Record<string, unknown>
    expect([r3.billed_amount, r3.allowed_amount, r3.paid_amount]).toEqual(['50.00', '50.00', '45.10'])
  })

  it('writes a drift run and its detail with events (201, then 200 for the same report)', async () => {
    const post = () =>
      callHandler(handle, { method: 'POST', path: '/api/v1/drift/reports/', token: a.token, headers: { 'content-type': 'application/json' }, body: '{"as_of": "2026-03-01", "min_claims": 2}' })
    const first = await post()
    expect(first.status).toBe(201)
    const report = first.json as Record<string, unknown>
    expect(report).toMatchObject({ as_of: '2026-03-01', group_by: 'payer', events: [] })
    expect(Object.keys(report).sort()).toEqual(
      ['alpha', 'as_of', 'baseline_end', 'baseline_start', 'computed_at', 'current_end', 'current_start', 'duration_ms', 'events', 'events_count', 'group_by', 'groups_tested', 'id', 'min_claims'].sort(),
    )
    const second = await post()
    expect(second.status).toBe(200)
    expect((second.json as { id: number }).id).toBe(report.id)
    const detail = await callHandler(handle, { path: `/api/v1/drift/reports/${String(report.id)}/`, token: a.token })
    expect(detail.json).toEqual(first.json)
    expect((await callHandler(handle, { path: `/api/v1/drift/reports/${String(report.id)}/`, token: b.token })).status).toBe(404)
  })
})
