import { createServer, request as httpRequest, type RequestListener } from 'node:http'
import type { AddressInfo } from 'node:net'
import { sql } from 'kysely'
import { pino } from 'pino'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp as createExpressApp } from '../../examples/express/create-app.js'
import { createApp as createKoaApp } from '../../examples/koa/create-app.js'
import { shutDownGracefully } from '../../examples/shared/graceful-shutdown.js'
import { createAppMetrics, type AppMetrics } from '../../examples/shared/metrics.js'
import { metricsUrl, startMetricsServer } from '../../examples/shared/metrics-server.js'
import type { ClaimsHttpHandlerOptions } from '../support/upstream.js'
import { createCustomer } from '../../src/tenancy/create-customer.js'
import { claimsTenant } from '../../src/claims/index.js'
import { createTestDatabase, type TestDatabase } from '../support/test-database.js'

type Factory = (upstream: TestDatabase, metrics: AppMetrics, http?: Omit<ClaimsHttpHandlerOptions, 'upstream' | 'logger'>) => RequestListener
const servers: [string, Factory][] = [
  ['express', (upstream, metrics, http) => createExpressApp({ upstream, metrics, http })],
  ['koa', (upstream, metrics, http) => createKoaApp({ upstream, metrics, http }).callback()],
]

let upstream: TestDatabase
let token: string

beforeAll(async () => {
  upstream = await createTestDatabase()
  const customer = await createCustomer(upstream, 'metrics')
  token = (await claimsTenant(upstream, customer.id).transaction(({ apiKeys }) => apiKeys.create())).token
})
afterAll(async () => upstream?.destroy())

describe.each(servers)('the %s example', (_name, factory) => {
  it('exports request durations by route template and status, drift computation time and pool gauges', async () => {
    const metrics = createAppMetrics(upstream)
    const app = factory(upstream, metrics)
    await request(app).get('/api/v1/claims/123/').set('Authorization', `Bearer ${token}`).expect(404)
    await request(app).get('/api/v1/claims/').expect(401)
    await request(app).post('/api/v1/drift/reports/').set('Authorization', `Bearer ${token}`).send({ as_of: '2026-01-01', min_claims: 2, force: true }).expect(201)
    // never on the API's port: on a loopback listener of its own
    await request(app).get('/metrics').expect(404)
    const metricsServer = await startMetricsServer(metrics, { port: 0 })
    expect(metricsUrl(metricsServer)).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/)
    const scraped = await fetch(metricsUrl(metricsServer))
    await new Promise((resolve) => metricsServer.close(resolve))
    expect(scraped.status).toBe(200)
    expect(scraped.headers.get('x-content-type-options')).toBe('nosniff')
    const text = await scraped.text()
    expect(text).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/claims\/\{id\}\/",status="404"\} 1/)
    expect(text).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/claims\/",status="401"\} 1/)
    expect(text).toMatch(/upstream_drift_computation_seconds_count 1/)
    expect(text).toMatch(/upstream_drift_runs_total\{outcome="created"\} 1/)
    expect(text).toMatch(/upstream_db_pool_info 1/)
    expect(text).toMatch(/upstream_db_pool_connections \d+/)
    expect(text).toMatch(/upstream_db_pool_waiting_requests 0/)
  })

  it('finishes an in-flight request on shutdown, refuses new connections, then runs the cleanup', async () => {
    const metrics = createAppMetrics(upstream)
    const app = factory(upstream, metrics, {
      // a slow operation on the real database (half a second)
      services: { uploadStatistics: (tenant) => tenant.read(({ db }) => sql`select pg_sleep(0.5)`.execute(db)).then(() => ({ total_uploads: 7 })) },
    })
    const server = createServer(app)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    let cleaned = false
    const stop = shutDownGracefully(server, { logger: pino({ level: 'silent' }), onClosed: async () => void (cleaned = true), signals: [] })

    const inFlight = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest({ port, host: '127.0.0.1', path: '/api/v1/uploads/statistics/', headers: { authorization: `Bearer ${token}` } }, (res) => {
        let body = ''
        res.on('data', (c: Buffer) => (body += c.toString()))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
      })
      req.on('error', reject)
      req.end()
    })
    await new Promise((r) => setTimeout(r, 150)) // the request is inside pg_sleep now
    const stopped = stop('test')
    await new Promise((r) => setTimeout(r, 20))
    const refused = await new Promise<string>((resolve) => {
      const req = httpRequest({ port, host: '127.0.0.1', path: '/api/v1/schema/' }, () => resolve('answered'))
      req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'))
      req.end()
    })
    expect(refused).toBe('ECONNREFUSED')
    expect(cleaned).toBe(false)
    const answer = await inFlight
    expect(answer.status).toBe(200)
    expect(JSON.parse(answer.body)).toMatchObject({ total_uploads: 7 })
    await stopped
    expect(cleaned).toBe(true)
  })
})
