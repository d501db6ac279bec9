import { readFile } from 'node:fs/promises'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runClientExample } from '../../examples/client/client-example.js'
import { createUpstreamClient, upstreamQuerySerializer } from '../../examples/client/upstream-client.js'
import { CLIENT_TYPES_FILE, clientTypesSource } from '../../scripts/client/client-types-source.js'
import { createApp } from '../../examples/express/create-app.js'
import { startServer, type RunningServer } from '../../examples/shared/start-server.js'
import { createCustomer, forTenant } from '../support/upstream.js'
import { createTestDatabase, testDatabaseUrl, type TestDatabase } from '../support/test-database.js'

let upstream: TestDatabase
let server: RunningServer
let token: string
let readToken: string

beforeAll(async () => {
  upstream = await createTestDatabase()
  const customer = await createCustomer(upstream, 'typed client')
  ;({ token, readToken } = await forTenant(upstream, customer.id).transaction(async ({ apiKeys }) => ({
    token: (await apiKeys.create({ scopes: ['read', 'write'] })).token,
    readToken: (await apiKeys.create({ scopes: ['read'] })).token,
  })))
  // the Express example as `npm run example:express` starts it, on a free port, over this test's schema
  const schema = process.env.UPSTREAM_SCHEMA
  process.env.UPSTREAM_SCHEMA = upstream.schema
  try {
    server = await startServer((deps) => createApp(deps), { name: 'express', port: 0, databaseUrl: testDatabaseUrl(), logger: pino({ level: 'silent' }) })
  } finally {
    if (schema === undefined) delete process.env.UPSTREAM_SCHEMA
    else process.env.UPSTREAM_SCHEMA = schema
  }
})
afterAll(async () => {
  await server?.stop()
  await upstream?.destroy()
})

describe('the typed client example (openapi-fetch + generated types) against a live example server', () => {
  it('has the types of the document this server serves on /api/v1/schema/', async () => {
    const served = (await (await fetch(`${server.url}/api/v1/schema/`)).json()) as unknown
    expect(await clientTypesSource(served)).toBe(await readFile(CLIENT_TYPES_FILE, 'utf8'))
  })

  it('runs every call of the example and gets typed, correct answers', async () => {
    const lines: string[] = []
    const result = await runClientExample(createUpstreamClient({ baseUrl: server.url, token }), (line) => lines.push(line))
    console.log(lines.join('\n'))

    expect(result.upload).toMatchObject({ status: 'success', row_count: 40 })
    expect(result.rejectedLines).toEqual([2])
    // rows 1, 5, ..., 37 of the sample are denied
    expect(result.deniedCount).toBe(10)
    expect(result.topDenied).toHaveLength(5)
    expect(result.topDenied.every((c) => c.status === 'denied' && c.upload_id === result.upload.id)).toBe(true)
    const amounts = result.topDenied.map((c) => Number(c.billed_amount))
    expect(amounts).toEqual([...amounts].sort((x, y) => y - x)) // ordering=-billed_amount,claim_number reached the server as one value
    expect(result.topDenied[0]?.billed_amount).toBe((100 + 37 * 7.25).toFixed(2))
    expect(result.walkedByCursor).toBe(40)
    expect(result.firstClaim).toEqual(result.topDenied[0])
    expect(Object.keys(result.badFilter)).toEqual(['min_amount'])
    expect(result.report).toMatchObject({ as_of: '2026-06-01', current_start: '2026-04-02', group_by: 'payer', groups_tested: 2 })
    expect(result.reportCreated).toBe(true)
  })

  it('surfaces the API\'s errors as typed error bodies with their status', async () => {
    const reader = createUpstreamClient({ baseUrl: server.url, token: readToken })
    const denied = await reader.POST('/api/v1/drift/reports/', { body: {} })
    expect(denied.response.status).toBe(403)
    expect(denied.error).toEqual({ detail: 'You do not have permission to perform this action.' })
    const stranger = createUpstreamClient({ baseUrl: server.url, token: 'up_not-a-key' })
    const anonymous = await stranger.GET('/api/v1/uploads/')
    expect(anonymous.response.status).toBe(401)
    expect(anonymous.error).toEqual({ detail: 'Invalid token.' })
    const missing = await reader.GET('/api/v1/claims/{id}/', { params: { path: { id: 999_999_999 } } })
    expect(missing.response.status).toBe(404)
    expect(missing.data).toBeUndefined()
  })
})

describe('upstreamQuerySerializer', () => {
  it('writes ordering as one comma-separated value and repeats every other array', () => {
    const text = upstreamQuerySerializer({ status: ['paid', 'denied'], ordering: ['-billed_amount', 'claim_number'], page: 2, search: undefined })
    expect([...new URLSearchParams(text)]).toEqual([
      ['status', 'paid'],
      ['status', 'denied'],
      ['ordering', '-billed_amount,claim_number'],
      ['page', '2'],
    ])
  })
})
