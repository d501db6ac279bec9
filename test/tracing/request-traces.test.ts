import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api'
import type { InMemorySpanExporter, ReadableSpan } from '@opentelemetry/sdk-trace-base'
import { sql } from 'kysely'
import request from 'supertest'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../examples/express/create-app.js'
import { inSpan, TRACE_ATTRIBUTES, UPSTREAM_TRACER_NAME } from '../../src/tracing/index.js'
import { claimsTenant, forTenant } from '../support/upstream.js'
import { csvRows } from '../e2e/e2e-fixture.js'
import { createHttpFixture, type FixtureTenant } from '../http/http-fixture.js'
import { nameTree, printSpanTree, registerInMemoryTracing, spanTree, type SpanNode } from '../support/span-tree.js'
import { createTestDatabase, type TestDatabase } from '../support/test-database.js'

let upstream: TestDatabase
let a: FixtureTenant
let tracing: ReturnType<typeof registerInMemoryTracing>
let exporter: InMemorySpanExporter

beforeAll(async () => {
  upstream = await createTestDatabase()
  ;({ a } = await createHttpFixture(upstream, 'tracing'))
  tracing = registerInMemoryTracing()
  exporter = tracing.exporter
})
afterAll(async () => {
  await tracing?.shutdown()
  await upstream?.destroy()
})
afterEach(() => exporter.reset())

const find = (node: SpanNode, name: string): SpanNode | undefined =>
  node.name === name ? node : node.children.map((c) => find(c, name)).find((n) => n !== undefined)
const must = (node: SpanNode, name: string): SpanNode => {
  const found = find(node, name)
  if (!found) throw new Error(`no span ${name} in\n${printSpanTree(node)}`)
  return found
}
const all = (node: SpanNode): ReadableSpan[] => [node.span, ...node.children.flatMap(all)]

/** The finished spans of one request, as one tree; printed so a run shows it. */
function traceOf(title: string): SpanNode {
  const tree = spanTree(exporter.getFinishedSpans())
  console.log(`\n${title}\n${printSpanTree(tree)}\n`)
  return tree
}

describe('the spans of one request (Express example, real PostgreSQL, in-memory exporter)', () => {
  it('a list request: the HTTP span, the key lookup, the read transaction, the list and its statements', async () => {
    const app = createApp({ upstream })
    const first = await request(app).get('/api/v1/claims/?status=denied&ordering=-billed_amount').set('Authorization', `Bearer ${a.token}`)
    expect(first.status).toBe(200)
    exporter.reset() // the second request is the steady state: its count comes from the cache
    const r = await request(app).get('/api/v1/claims/?status=denied&ordering=-billed_amount').set('Authorization', `Bearer ${a.token}`)
    expect(r.status).toBe(200)
    const tree = traceOf('GET /api/v1/claims/?status=denied&ordering=-billed_amount (count cached)')

    expect(nameTree(tree)).toEqual([
      'GET /api/v1/claims/',
      [
        // one read transaction: its start authenticates the key and reads the ETag's data version
        // (one round trip), then the list (its rows; the count from the cache, whose version the start read); the COMMIT goes out behind the answer
        ['transaction', [['START TRANSACTION', []], ['list claims', [['SELECT', []]]]]],
      ],
    ])
    expect(tree.span.kind).toBe(SpanKind.SERVER)
    expect(tree.span.instrumentationScope.name).toBe(UPSTREAM_TRACER_NAME)
    expect(tree.span.attributes).toMatchObject({
      [TRACE_ATTRIBUTES.httpRequestMethod]: 'GET',
      [TRACE_ATTRIBUTES.httpRoute]: '/api/v1/claims/',
      [TRACE_ATTRIBUTES.httpResponseStatusCode]: 200,
      [TRACE_ATTRIBUTES.urlPath]: '/api/v1/claims/',
      [TRACE_ATTRIBUTES.operationId]: 'claims_list',
    })
    expect(tree.span.attributes[TRACE_ATTRIBUTES.tenantId]).toBeUndefined() // not without the opt-in

    const transaction = must(tree, 'transaction')
    expect(transaction.span.attributes).toMatchObject({
      [TRACE_ATTRIBUTES.transactionIsolation]: 'repeatable read',
      [TRACE_ATTRIBUTES.transactionReadOnly]: true,
      [TRACE_ATTRIBUTES.transactionAttempts]: 1,
    })
    const list = must(tree, 'list claims')
    expect(list.span.attributes).toMatchObject({
      [TRACE_ATTRIBUTES.listName]: 'claims',
      [TRACE_ATTRIBUTES.listPagination]: 'page-number',
      [TRACE_ATTRIBUTES.listFilters]: ['status'],
      [TRACE_ATTRIBUTES.listSearch]: false,
      [TRACE_ATTRIBUTES.listOrdering]: ['-billed_amount'],
      [TRACE_ATTRIBUTES.listShape]: 'page-number|status||-billed_amount',
      [TRACE_ATTRIBUTES.listCountStrategy]: 'estimated', // exact up to the spec's threshold, then the planner's estimate
      [TRACE_ATTRIBUTES.listCountCache]: 'hit',
      [TRACE_ATTRIBUTES.listCountEstimated]: false,
      [TRACE_ATTRIBUTES.listRows]: 1,
    })
    // the cached count's version is the one the start read (one snapshot): the statement is the page's rows alone
    const [rows] = list.children
    expect(list.children).toHaveLength(1)
    expect(String(rows!.span.attributes[TRACE_ATTRIBUTES.dbQueryText])).toMatch(/^select \* from "[^"]+"\."claim_records" where /)
    expect(String(rows!.span.attributes[TRACE_ATTRIBUTES.dbQueryText])).not.toMatch(/data_versions|count_estimate/)
    expect(rows!.span.attributes[TRACE_ATTRIBUTES.dbResponseReturnedRows]).toBe(1)

    for (const span of all(tree).filter((s) => s.kind === SpanKind.CLIENT)) {
      expect(span.attributes[TRACE_ATTRIBUTES.dbSystem]).toBe('postgresql')
      expect(span.attributes[TRACE_ATTRIBUTES.dbSystemName]).toBe('postgresql')
      expect(span.attributes[TRACE_ATTRIBUTES.dbNamespace]).toBe(new URL(process.env.DATABASE_URL ?? 'postgres://x/test').pathname.slice(1) || undefined)
      const text = String(span.attributes[TRACE_ATTRIBUTES.dbQueryText])
      // never a value: not the token's hash (a bound parameter), not the tenant id the start statement inlines, not the filter value
      expect(text).not.toContain(String(a.customerId) + "'")
      expect(text).not.toMatch(/denied|[0-9a-f]{64}/)
    }
    const start = must(tree, 'START TRANSACTION')
    expect(start.span.attributes[TRACE_ATTRIBUTES.dbQueryText]).toMatch(
      // the key looked up, the tenant and role set, then (third statement) the key read back with the ETag's version
      /^start transaction isolation level repeatable read read only; select set_config\(\?, k\.customer_id::text, true\)(?:, set_config\(\?, \?, true\))+, set_config\(\?, json_build_object\(.*\)::text, true\) from "[^"]+"\.authenticate_api_key\(\?\) as k; select nullif\(current_setting\(\?, true\), \?\) as upstream_key, \(coalesce\(\(select version from "[^"]+"\."data_versions" where .*\)\)::text as "upstream_v0"$/,
    )
  })

  it('the first request of a shape misses the count cache; a write of the tenant makes the next one miss again', async () => {
    const app = createApp({ upstream })
    const get = () => request(app).get('/api/v1/uploads/?ordering=filename').set('Authorization', `Bearer ${a.token}`).expect(200)
    const cacheOf = () => {
      const list = exporter.getFinishedSpans().find((s) => s.name === 'list uploads')
      exporter.reset()
      return list?.attributes[TRACE_ATTRIBUTES.listCountCache]
    }
    await get()
    expect(cacheOf()).toBe('miss')
    await get()
    expect(cacheOf()).toBe('hit')
    await claimsTenant(upstream, a.customerId).transaction(({ uploads }) => uploads.create({ filename: 'bump.csv' }))
    exporter.reset()
    await get()
    expect(cacheOf()).toBe('miss')
  })

  it('an upload: the HTTP span, the ingestion, its three transactions, the COPY and the insert', async () => {
    const app = createApp({ upstream })
    const r = await request(app).post('/api/v1/uploads/?filename=traced.csv').set('Authorization', `Bearer ${a.token}`).type('text/csv').send(csvRows('traced', 25))
    expect(r.status).toBe(201)
    const tree = traceOf('POST /api/v1/uploads/?filename=traced.csv (25 rows)')

    const [name, children] = nameTree(tree)
    expect(name).toBe('POST /api/v1/uploads/')
    expect(children.map(([n]) => n)).toEqual(['SELECT', 'ingest upload'])
    const ingest = must(tree, 'ingest upload')
    expect(ingest.span.attributes).toMatchObject({
      [TRACE_ATTRIBUTES.uploadId]: r.body.id,
      [TRACE_ATTRIBUTES.uploadLoader]: 'copy',
      [TRACE_ATTRIBUTES.uploadRows]: 25,
      [TRACE_ATTRIBUTES.uploadStatus]: 'success',
    })
    expect(ingest.children.map((c) => c.name)).toEqual(['transaction', 'transaction', 'transaction'])
    const load = ingest.children[2]!
    const loadNames = load.children.map((c) => c.name)
    expect(loadNames[0]).toBe('START TRANSACTION')
    expect(loadNames).toContain('COPY')
    expect(loadNames.at(-1)).toBe('COMMIT')
    const copy = must(load, 'COPY')
    expect(copy.span.attributes[TRACE_ATTRIBUTES.dbResponseReturnedRows]).toBe(25)
    expect(copy.span.attributes[TRACE_ATTRIBUTES.dbQueryText]).toMatch(/^\/\* upstream ingest upload=\? \*\/ copy pg_temp\./)
    expect(loadNames.indexOf('COPY')).toBeLessThan(loadNames.lastIndexOf('INSERT'))
  })

  it('a rejected upload: the ingestion span fails, the HTTP span (422) does not', async () => {
    const app = createApp({ upstream })
    const r = await request(app).post('/api/v1/uploads/?filename=bad.csv').set('Authorization', `Bearer ${a.token}`).type('text/csv').send(`${csvRows('bad', 2)}bad-3,Aetna,99213,2026-02-30,1.00,,,paid,\n`)
    expect(r.status).toBe(422)
    const tree = spanTree(exporter.getFinishedSpans())
    expect(tree.span.attributes[TRACE_ATTRIBUTES.httpResponseStatusCode]).toBe(422)
    expect(tree.span.status.code).toBe(SpanStatusCode.UNSET)
    const ingest = must(tree, 'ingest upload')
    expect(ingest.span.status.code).toBe(SpanStatusCode.ERROR)
    expect(ingest.span.attributes[TRACE_ATTRIBUTES.errorType]).toBe('IngestionFailedError')
    expect(ingest.span.attributes[TRACE_ATTRIBUTES.uploadStatus]).toBe('failed')
    expect(ingest.span.events.map((e) => e.name)).toContain('exception')
  })

  it('a drift run: one span with its outcome over its transaction', async () => {
    const app = createApp({ upstream })
    const r = await request(app).post('/api/v1/drift/reports/').set('Authorization', `Bearer ${a.token}`).send({ as_of: '2026-06-01', min_claims: 2 })
    expect(r.status).toBe(201)
    const tree = spanTree(exporter.getFinishedSpans())
    expect(tree.name).toBe('POST /api/v1/drift/reports/')
    const drift = must(tree, 'drift run')
    expect(drift.children.map((c) => c.name)).toEqual(['transaction'])
    expect(drift.span.attributes).toMatchObject({
      [TRACE_ATTRIBUTES.driftGroupBy]: 'payer',
      [TRACE_ATTRIBUTES.driftAsOf]: '2026-06-01',
      [TRACE_ATTRIBUTES.driftForce]: false,
      [TRACE_ATTRIBUTES.driftReportId]: r.body.id,
      [TRACE_ATTRIBUTES.driftCreated]: true,
      [TRACE_ATTRIBUTES.driftReplaced]: false,
      [TRACE_ATTRIBUTES.driftGroupsTested]: r.body.groups_tested,
      [TRACE_ATTRIBUTES.driftEvents]: r.body.events_count,
    })
  })

  it('records the tenant id only when the app opts in', async () => {
    const app = createApp({ upstream, http: { tracing: { tenantId: true } } })
    await request(app).get(`/api/v1/uploads/${a.upload.id}/`).set('Authorization', `Bearer ${a.token}`).expect(200)
    const tree = spanTree(exporter.getFinishedSpans())
    expect(tree.name).toBe('GET /api/v1/uploads/{id}/')
    expect(tree.span.attributes[TRACE_ATTRIBUTES.tenantId]).toBe(a.customerId)
    expect(tree.span.attributes[TRACE_ATTRIBUTES.urlPath]).toBe(`/api/v1/uploads/${a.upload.id}/`)
  })

  it("continues the caller's trace from its traceparent header", async () => {
    const app = createApp({ upstream })
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736'
    const parentId = '00f067aa0ba902b7'
    await request(app).get('/api/v1/claims/').set('Authorization', `Bearer ${a.token}`).set('traceparent', `00-${traceId}-${parentId}-01`).expect(200)
    const tree = spanTree(exporter.getFinishedSpans())
    expect(tree.span.spanContext().traceId).toBe(traceId)
    expect(tree.span.parentSpanContext?.spanId).toBe(parentId)
    expect(all(tree).every((s) => s.spanContext().traceId === traceId)).toBe(true)
  })

  it('a request without a route: a span named by its method alone, 404, not an error', async () => {
    const app = createApp({ upstream })
    await request(app).get('/api/v1/nowhere/').set('Authorization', `Bearer ${a.token}`).expect(404)
    const tree = spanTree(exporter.getFinishedSpans())
    expect(tree.name).toBe('GET')
    expect(tree.span.attributes[TRACE_ATTRIBUTES.httpRoute]).toBeUndefined()
    expect(tree.span.status.code).toBe(SpanStatusCode.UNSET)
  })
})

describe('transactions and statements', () => {
  it('a retried transaction: one span, attempts 2, a retry event with the SQLSTATE', async () => {
    const tenant = forTenant(upstream, a.customerId)
    let attempt = 0
    await tenant.transaction(async ({ db }) => {
      attempt++
      // a real serialization failure from PostgreSQL on the first attempt
      if (attempt === 1) await sql`do $$ begin raise exception 'conflict' using errcode = 'serialization_failure'; end $$`.execute(db)
    }, { isolation: 'serializable', baseDelayMs: 1 })
    const tree = spanTree(exporter.getFinishedSpans())
    expect(tree.name).toBe('transaction')
    expect(tree.span.attributes).toMatchObject({ [TRACE_ATTRIBUTES.transactionIsolation]: 'serializable', [TRACE_ATTRIBUTES.transactionAttempts]: 2 })
    expect(tree.span.events.map((e) => [e.name, e.attributes?.[TRACE_ATTRIBUTES.retrySqlState], e.attributes?.[TRACE_ATTRIBUTES.retryAttempt]])).toEqual([['retry', '40001', 1]])
    expect(tree.span.status.code).toBe(SpanStatusCode.UNSET)
    const failed = tree.children.find((c) => c.name === 'DO')
    expect(failed?.span.status.code).toBe(SpanStatusCode.ERROR)
    expect(failed?.span.attributes[TRACE_ATTRIBUTES.dbResponseStatusCode]).toBe('40001')
    expect(tree.children.map((c) => c.name)).toEqual(['START TRANSACTION', 'DO', 'ROLLBACK', 'START TRANSACTION', 'COMMIT'])
  })

  it('a failing statement fails its span and the transaction span with the SQLSTATE', async () => {
    const tenant = forTenant(upstream, a.customerId)
    await expect(tenant.read(({ db }) => sql`select 1 / 0`.execute(db))).rejects.toThrow()
    const tree = spanTree(exporter.getFinishedSpans())
    const statement = must(tree, 'SELECT')
    expect(statement.span.status.code).toBe(SpanStatusCode.ERROR)
    expect(statement.span.attributes).toMatchObject({ [TRACE_ATTRIBUTES.dbResponseStatusCode]: '22012', [TRACE_ATTRIBUTES.errorType]: '22012', [TRACE_ATTRIBUTES.dbQueryText]: 'select ? / ?' })
    expect(tree.span.status.code).toBe(SpanStatusCode.ERROR)
  })

  it("statements outside any span make no spans; inside an app's own span, they nest under it", async () => {
    await sql`select 1`.execute(upstream.db)
    expect(exporter.getFinishedSpans()).toEqual([])
    await trace.getTracer('app').startActiveSpan('app job', async (span) => {
      await inSpan('step', {}, () => sql`select 2`.execute(upstream.db))
      span.end()
    })
    expect(nameTree(spanTree(exporter.getFinishedSpans()))).toEqual(['app job', [['step', [['SELECT', []]]]]])
  })
})
