import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClaimsHttpHandler, type HttpHandler } from '../support/upstream.js'
import { createTestDatabase, type TestDatabase } from '../support/test-database.js'
import { callHandler } from './call-handler.js'
import { createHttpFixture, type FixtureTenant } from './http-fixture.js'

let upstream: TestDatabase
let a: FixtureTenant
let handle: HttpHandler

beforeAll(async () => {
  upstream = await createTestDatabase()
  ;({ a } = await createHttpFixture(upstream))
  handle = createClaimsHttpHandler({ upstream, logger: { error: () => {}, warn: () => {} } })
})
afterAll(async () => upstream?.destroy())

const path = () => `/api/v1/uploads/${a.upload.id}/`
const NOT_PROVIDED = { detail: 'Authentication credentials were not provided.' }
const INVALID = { detail: 'Invalid token.' }

describe('authentication (CONTRACT section 2)', () => {
  it('answers 401 "not provided" without an Authorization header, or with an empty one', async () => {
    for (const authorization of [undefined, '', '   ']) {
      const r = await callHandler(handle, { path: path(), ...(authorization === undefined ? {} : { authorization }) })
      expect(r.status).toBe(401)
      expect(r.json).toEqual(NOT_PROVIDED)
      expect(r.headers['www-authenticate']).toBe('Bearer')
    }
  })

  it.each([
    ['Bearer alone', () => 'Bearer'],
    ['Bearer and spaces', () => 'Bearer   '],
    ['two tokens', () => `Bearer ${a.token} ${a.token}`],
    ['another scheme', () => `Basic ${Buffer.from('u:p').toString('base64')}`],
    ['Token scheme', () => `Token ${a.token}`],
    ['the token alone', () => a.token],
    ['unknown token', () => 'Bearer up_not-a-real-token'],
    ['revoked token', () => `Bearer ${a.revokedToken}`],
    ['a very long token', () => `Bearer ${'x'.repeat(5000)}`],
  ])('answers 401 "Invalid token." for %s', async (_name, header) => {
    const r = await callHandler(handle, { path: path(), authorization: header() })
    expect(r.status).toBe(401)
    expect(r.json).toEqual(INVALID)
    expect(r.headers['www-authenticate']).toBe('Bearer')
  })

  it('refuses two Authorization headers', async () => {
    const r = await callHandler(handle, { path: path(), authorization: [`Bearer ${a.token}`, `Bearer ${a.token}`] })
    expect(r.status).toBe(401)
    expect(r.json).toEqual(INVALID)
  })

  it('accepts the scheme in any case', async () => {
    for (const scheme of ['Bearer', 'bearer', 'BEARER']) {
      const r = await callHandler(handle, { path: path(), authorization: `${scheme} ${a.token}` })
      expect(r.status).toBe(200)
    }
  })

  it('authenticates before answering 404 for a missing id, and before 405', async () => {
    expect((await callHandler(handle, { path: '/api/v1/uploads/999999/' })).status).toBe(401)
    expect((await callHandler(handle, { method: 'DELETE', path: '/api/v1/uploads/' })).status).toBe(401)
  })

  it('takes a replaced token resolver', async () => {
    const custom = createClaimsHttpHandler({
      upstream,
      resolveToken: async (token) => (token === 'let-me-in' ? { customerId: a.customerId, scopes: ['read'] } : undefined),
    })
    expect((await callHandler(custom, { path: path(), token: 'let-me-in' })).status).toBe(200)
    expect((await callHandler(custom, { path: path(), token: a.token })).json).toEqual(INVALID)
  })

  it('takes a replaced authenticator, and a principal the app resolved itself', async () => {
    const custom = createClaimsHttpHandler({
      upstream,
      authenticate: async (request) => {
        if (request.headers['x-tenant'] !== String(a.customerId)) throw new Error('boom')
        return { customerId: a.customerId, scopes: ['read'] }
      },
      logger: { error: () => {}, warn: () => {} },
    })
    expect((await callHandler(custom, { path: path(), headers: { 'x-tenant': String(a.customerId) } })).status).toBe(200)
    expect((await callHandler(custom, { path: path() })).status).toBe(500)
    const r = await handle({
      method: 'GET',
      path: path(),
      query: new URLSearchParams(),
      headers: {},
      body: null,
      url: `http://api.test${path()}`,
      principal: { customerId: a.customerId, scopes: ['read'] },
    })
    expect(r.status).toBe(200)
  })

  it('serves /schema/ and /docs/ without credentials', async () => {
    const schema = await callHandler(handle, { path: '/api/v1/schema/' })
    expect(schema.status).toBe(200)
    expect((schema.json as { openapi: string }).openapi).toMatch(/^3\.1/)
    const docs = await callHandler(handle, { path: '/api/v1/docs' })
    expect(docs.status).toBe(200)
    expect(docs.headers['content-type']).toMatch(/^text\/html/)
    expect(String(docs.body)).toContain('/api/v1/schema/')
  })
})
