import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClaimsHttpHandler, type HttpHandler } from '../support/upstream.js'
import { scopePermission } from '../../src/http/permission-check.js'
import { createTestDatabase, type TestDatabase } from '../support/test-database.js'
import { callHandler } from './call-handler.js'
import { createHttpFixture, type FixtureTenant } from './http-fixture.js'

let upstream: TestDatabase
let a: FixtureTenant
let handle: HttpHandler
const DENIED = { detail: 'You do not have permission to perform this action.' }

beforeAll(async () => {
  upstream = await createTestDatabase()
  ;({ a } = await createHttpFixture(upstream))
  handle = createClaimsHttpHandler({ upstream })
})
afterAll(async () => upstream?.destroy())

const drift = (token: string) =>
  callHandler(handle, { method: 'POST', path: '/api/v1/drift/reports/', token, headers: { 'content-type': 'application/json' }, body: '{"as_of":"2026-03-01"}' })

describe('permissions (scopes)', () => {
  it('lets a read-only key read and answers 403 on a POST, before reading the body', async () => {
    expect((await callHandler(handle, { path: `/api/v1/uploads/${a.upload.id}/`, token: a.readToken })).status).toBe(200)
    for (const path of ['/api/v1/drift/reports/', '/api/v1/uploads/?filename=x.csv']) {
      const r = await callHandler(handle, { method: 'POST', path, token: a.readToken, headers: { 'content-type': 'text/plain' }, body: 'not even json' })
      expect(r.status).toBe(403)
      expect(r.json).toEqual(DENIED)
    }
  })

  it('answers 403 to a write-only key on a GET', async () => {
    const r = await callHandler(handle, { path: `/api/v1/claims/${a.claims[0]!.id}/`, token: a.writeOnlyToken })
    expect(r.status).toBe(403)
    expect(r.json).toEqual(DENIED)
  })

  it('lets a read-write key run drift detection', async () => {
    expect((await drift(a.token)).status).toBe(201)
  })

  it('takes an extended permission check that sees the operation', async () => {
    const seen: (string | undefined)[] = []
    const custom = createClaimsHttpHandler({
      upstream,
      permission: (ctx) => {
        seen.push(ctx.operationId)
        return scopePermission(ctx) && ctx.operationId !== 'drift_reports_create'
      },
    })
    const r = await callHandler(custom, { method: 'POST', path: '/api/v1/drift/reports/', token: a.token, headers: { 'content-type': 'application/json' }, body: '{}' })
    expect(r.status).toBe(403)
    expect(r.json).toEqual(DENIED)
    expect((await callHandler(custom, { path: `/api/v1/claims/${a.claims[0]!.id}`, token: a.token })).status).toBe(200)
    expect(seen).toEqual(['drift_reports_create', 'claims_retrieve'])
  })
})
