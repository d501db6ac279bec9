import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { context, propagation, trace } from '@opentelemetry/api'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp as createKoaApp } from '../../examples/koa/create-app.js'
import { startServer } from '../../examples/shared/start-server.js'
import { startTracing } from '../../examples/shared/tracing.js'
import { createCustomer, forTenant } from '../support/upstream.js'
import { createTestDatabase, testDatabaseUrl, type TestDatabase } from '../support/test-database.js'

interface OtlpSpan {
  name: string
  traceId: string
  spanId: string
  parentSpanId?: string
}
interface OtlpExport {
  resourceSpans: { resource: { attributes: { key: string; value: { stringValue?: string } }[] }; scopeSpans: { scope: { name: string }; spans: OtlpSpan[] }[] }[]
}

let upstream: TestDatabase
let token: string
let collector: Server
let collectorUrl: string
const received: { path: string; contentType: string | undefined; body: OtlpExport }[] = []

beforeAll(async () => {
  upstream = await createTestDatabase()
  const customer = await createCustomer(upstream, 'otlp')
  token = (await forTenant(upstream, customer.id).transaction(({ apiKeys }) => apiKeys.create())).token
  // a stand-in OTLP/HTTP collector: records what the exporter posts
  collector = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      received.push({ path: req.url ?? '', contentType: req.headers['content-type'], body: JSON.parse(Buffer.concat(chunks).toString()) as OtlpExport })
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}')
    })
  })
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve))
  collectorUrl = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`
})
afterAll(async () => {
  await new Promise((resolve) => collector?.close(resolve))
  await upstream?.destroy()
})

describe('the examples and OpenTelemetry', () => {
  it('stay without an SDK when OTEL_EXPORTER_OTLP_ENDPOINT is not set', async () => {
    const tracing = startTracing({}, 'x')
    expect(tracing.tracesUrl).toBeUndefined()
    expect(trace.getTracer('probe').startSpan('probe').isRecording()).toBe(false)
  })

  it('send every span of a request to the OTLP endpoint when it is set, and flush them on shutdown', async () => {
    const env = { ...process.env }
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = collectorUrl
    process.env.OTEL_SERVICE_NAME = 'claims-api-test'
    process.env.UPSTREAM_SCHEMA = upstream.schema
    try {
      const running = await startServer(({ upstream: db, logger, metrics, http }) => createKoaApp({ upstream: db, logger, metrics, http }).callback(), {
        name: 'koa',
        port: 0,
        databaseUrl: testDatabaseUrl(),
        logger: pino({ level: 'silent' }),
      })
      const r = await fetch(`${running.url}/api/v1/claims/?status=paid`, { headers: { authorization: `Bearer ${token}` } })
      expect(r.status).toBe(200)
      await running.stop() // closes the server and the pool, then flushes the batch
    } finally {
      process.env = env
      trace.disable()
      context.disable()
      propagation.disable()
    }
    expect(received.length).toBeGreaterThan(0)
    expect(received.every((p) => p.path === '/v1/traces' && p.contentType === 'application/json')).toBe(true)
    const resources = received.flatMap((p) => p.body.resourceSpans)
    expect(resources.flatMap((r) => r.resource.attributes).find((a) => a.key === 'service.name')?.value.stringValue).toBe('claims-api-test')
    const spans = resources.flatMap((r) => r.scopeSpans.filter((s) => s.scope.name === '@upstreamjs/upstream').flatMap((s) => s.spans))
    const root = spans.find((s) => s.name === 'GET /api/v1/claims/')
    expect(root).toBeDefined()
    const inTrace = spans.filter((s) => s.traceId === root!.traceId)
    // the key lookup and the ETag's data version ride on the transaction's start; the count and
    // the rows are one SELECT; the COMMIT goes out behind the answer (its span may end after the export)
    expect(inTrace.map((s) => s.name).filter((n) => n !== 'COMMIT').sort()).toEqual(['GET /api/v1/claims/', 'SELECT', 'START TRANSACTION', 'list claims', 'transaction'])
    const transaction = inTrace.find((s) => s.name === 'transaction')
    expect(transaction?.parentSpanId).toBe(root!.spanId)
  })
})
