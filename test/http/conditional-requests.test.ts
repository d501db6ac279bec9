import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { claimsTenant, createClaimsHttpHandler, jsonResponse, tenantDataVersion, tenantOperation, type ClaimsTenantScope, type HttpHandler } from '../support/upstream.js'
import { createQueryCounter } from '../../src/list-query/create-query-counter.js'
import { createTestDatabase, type TestDatabase } from '../support/test-database.js'
import { callHandler } from './call-handler.js'
import { createHttpFixture, type FixtureTenant } from './http-fixture.js'

// every statement, transaction control included, so the report can give both numbers
const counter = createQueryCounter({ ignore: () => false })
const TRANSACTION_CONTROL = /^\s*(begin|start transaction|commit|rollback|select set_config\()/i
const work = () => counter.statements.filter((s) => !TRANSACTION_CONTROL.test(s))

let upstream: TestDatabase
let a: FixtureTenant
let b: FixtureTenant
let handle: HttpHandler
let ownCalls = 0

const ETAG = /^W\/"[A-Za-z0-9_-]{27}"$/

beforeAll(async () => {
  upstream = await createTestDatabase({ log: counter.log })
  ;({ a, b } = await createHttpFixture(upstream, 'etag'))
  const own = tenantOperation<ClaimsTenantScope>({
    method: 'GET',
    path: '/own/',
    operationId: 'own_retrieve',
    // an app's own version beside the tenant's: both read in the one statement
    dependsOn: [tenantDataVersion, { name: 'constant', expression: () => sql`42` }],
    handle: async () => {
      ownCalls++
      return jsonResponse(200, { ok: true })
    },
  })
  handle = createClaimsHttpHandler({ upstream, operations: [own] })
})
afterAll(async () => {
  await upstream?.destroy()
})

const get = (path: string, token: string, ifNoneMatch?: string) =>
  callHandler(handle, { path, token, ...(ifNoneMatch === undefined ? {} : { headers: { 'if-none-match': ifNoneMatch } }) })

describe('ETag and If-None-Match', () => {
  it.each([
    ['a list', '/api/v1/claims/?ordering=claim_number&page_size=2'],
    ['upload statistics', '/api/v1/uploads/statistics/'],
    ['a detail', 'DETAIL'],
  ])('%s: a weak ETag, Cache-Control private, no-cache; the current tag answers 304 with no body, its version read in the round trip that authenticates', async (_name, path0) => {
    const path = path0 === 'DETAIL' ? `/api/v1/claims/${a.claims[0]!.id}/` : path0
    const first = await get(path, a.token)
    expect(first.status).toBe(200)
    expect(first.headers.etag).toMatch(ETAG)
    expect(first.headers['cache-control']).toBe('private, no-cache')

    counter.reset()
    const again = await get(path, a.token, first.headers.etag)
    expect(again.status).toBe(304)
    expect(again.body).toBeUndefined()
    expect(again.headers['content-type']).toBeUndefined()
    expect(again.headers.etag).toBe(first.headers.etag)
    expect(again.headers['cache-control']).toBe('private, no-cache')
    // the key's lookup starts the read transaction and, in its last statement (tenant and role
    // set), reads the version: one round trip, and no statement besides it
    const statements = work()
    const start = counter.statements.filter((s) => /^start transaction .*authenticate_api_key/s.test(s))
    expect(start).toHaveLength(1)
    expect(start[0]).toMatch(/; select nullif\(current_setting\('upstream\.api_key', true\), ''\) as upstream_key, \(coalesce\(\(select version from "[^"]+"\."data_versions" where customer_id = nullif\(current_setting\('upstream\.customer_id', true\), ''\)::bigint\), 0\)\)::text as "upstream_v0"$/)
    expect(statements).toHaveLength(0)
    expect(counter.statements.join('\n')).not.toMatch(/claim_records|uploads|count/)
    console.log(`revalidation of ${path}: ${statements.length} statements besides transaction control, ${counter.count} in all:\n  ${counter.statements.join('\n  ')}`)
  })

  it('a revalidation by a principal the app authenticated is ONE statement, in a tenant read transaction', async () => {
    const path = '/api/v1/claims/'
    const url = `http://api.test${path}`
    const principal = { customerId: a.customerId, keyId: 1, scopes: ['read'] }
    const request = (headers: Record<string, string>) => ({ method: 'GET', path, query: new URLSearchParams(), headers: { host: 'api.test', ...headers }, body: null, url, principal })
    const first = await handle(request({}))
    expect(first.status).toBe(200)
    counter.reset()
    const again = await handle(request({ 'if-none-match': first.headers.etag! }))
    expect(again.status).toBe(304)
    expect(work()).toHaveLength(1)
    expect(counter.statements[0]).toMatch(/^start transaction isolation level read committed read only/i)
    expect(counter.statements.at(-1)).toMatch(/^commit/i)
  })

  it('any committed write of the tenant changes the tag; another tenant\'s write does not', async () => {
    const path = '/api/v1/uploads/'
    const before = await get(path, a.token)
    // another tenant's write: a's tag still current
    await claimsTenant(upstream, b.customerId).transaction(({ uploads }) => uploads.create({ filename: 'b-more.csv', status: 'pending' }))
    expect((await get(path, a.token, before.headers.etag)).status).toBe(304)
    // a rolled-back write of a: still current
    await claimsTenant(upstream, a.customerId)
      .transaction(async ({ uploads }) => {
        await uploads.create({ filename: 'rolled-back.csv', status: 'pending' })
        throw new Error('roll back')
      })
      .catch(() => undefined)
    expect((await get(path, a.token, before.headers.etag)).status).toBe(304)
    // a committed write of a, even to another table than the list's: a new tag, a full answer
    await claimsTenant(upstream, a.customerId).transaction(({ claims }) =>
      claims.insertMany([{ upload_id: a.upload.id, claim_number: 'etag-new', payer_name: 'Aetna', cpt_code: '99213', service_date: '2026-02-04', billed_amount: '1', allowed_amount: null, paid_amount: null, status: 'submitted', denial_reason: null }]),
    )
    const after = await get(path, a.token, before.headers.etag)
    expect(after.status).toBe(200)
    expect(after.headers.etag).toMatch(ETAG)
    expect(after.headers.etag).not.toBe(before.headers.etag)
    expect((await get(path, a.token, after.headers.etag)).status).toBe(304)
  })

  it('differs by scopes, tenant, query and Accept; the order of query parameters does not matter', async () => {
    const path = '/api/v1/claims/?status=paid&ordering=claim_number'
    const rw = await get(path, a.token)
    const ro = await get(path, a.readToken)
    expect(ro.status).toBe(200)
    expect(ro.headers.etag).not.toBe(rw.headers.etag)
    expect((await get(path, a.readToken, rw.headers.etag)).status).toBe(200)
    expect((await get(path, b.token, rw.headers.etag)).status).toBe(200)
    expect((await get('/api/v1/claims/?status=denied&ordering=claim_number', a.token, rw.headers.etag)).status).toBe(200)
    expect((await get('/api/v1/claims/?ordering=claim_number&status=paid', a.token, rw.headers.etag)).status).toBe(304)
    const csv = await callHandler(handle, { path, token: a.token, headers: { 'if-none-match': rw.headers.etag!, accept: 'text/csv' } })
    expect(csv.status).not.toBe(304)
  })

  it('takes a list of tags and strong or weak forms; ignores `*`, stale and malformed tags', async () => {
    const path = `/api/v1/uploads/${a.upload.id}/`
    const { etag } = (await get(path, a.token)).headers
    const opaque = etag!.slice(2)
    expect((await get(path, a.token, `W/"stale", ${etag}`)).status).toBe(304)
    expect((await get(path, a.token, opaque)).status).toBe(304)
    expect((await get(path, a.token, '*')).status).toBe(200)
    expect((await get(path, a.token, 'W/"stale"')).status).toBe(200)
    expect((await get(path, a.token, 'garbage,,"')).status).toBe(200)
  })

  it('an error carries no ETag; a write method is never conditional', async () => {
    const missing = await get('/api/v1/claims/999999999/', a.token)
    expect(missing.status).toBe(404)
    expect(missing.headers.etag).toBeUndefined()
    const post = await callHandler(handle, { method: 'POST', path: '/api/v1/drift/reports/', token: a.token, body: '{}', headers: { 'content-type': 'application/json' } })
    expect(post.headers.etag).toBeUndefined()
  })

  it('an app\'s own operation opts in with dependsOn: its handler does not run on a 304', async () => {
    const first = await get('/api/v1/own/', a.token)
    expect(first.status).toBe(200)
    expect(first.headers.etag).toMatch(ETAG)
    const calls = ownCalls
    counter.reset()
    const again = await get('/api/v1/own/', a.token, first.headers.etag)
    expect(again.status).toBe(304)
    expect(ownCalls).toBe(calls)
    expect(work()).toHaveLength(1)
    expect(work()[0]).toMatch(/as "v0", \(42\)::text as "v1"$/)
  })
})
