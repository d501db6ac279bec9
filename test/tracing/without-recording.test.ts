import { context, trace } from '@opentelemetry/api'
import { AlwaysOffSampler, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base'
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { inSpan } from '../../src/tracing/index.js'
import { createClaimsHttpHandler } from '../support/upstream.js'
import { callHandler } from '../http/call-handler.js'
import { createHttpFixture, type FixtureTenant } from '../http/http-fixture.js'
import { createTestDatabase, type TestDatabase } from '../support/test-database.js'

let upstream: TestDatabase
let a: FixtureTenant

beforeAll(async () => {
  upstream = await createTestDatabase()
  ;({ a } = await createHttpFixture(upstream, 'no-sdk'))
})
afterAll(async () => upstream?.destroy())

describe('without an SDK (the @opentelemetry/api no-op)', () => {
  it('runs the work with a non-recording span and no context switch', async () => {
    const outer = context.active()
    const seen = await inSpan('x', {}, async (span) => ({ recording: span.isRecording(), same: context.active() === outer, active: trace.getActiveSpan() }))
    expect(seen).toEqual({ recording: false, same: true, active: undefined })
  })

  it('answers requests as before, errors included', async () => {
    const handle = createClaimsHttpHandler({ upstream, logger: { error: () => undefined, warn: () => undefined } })
    const page = await callHandler(handle, { path: '/api/v1/claims/?status=denied', token: a.token })
    expect(page.status).toBe(200)
    expect(page.json).toMatchObject({ count: 1 })
    const bad = await callHandler(handle, { path: '/api/v1/claims/?ordering=nope', token: a.token })
    expect(bad.status).toBe(400)
    await expect(inSpan('failing', {}, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom')
  })
})

describe('with an SDK that samples nothing', () => {
  let provider: NodeTracerProvider
  const exporter = new InMemorySpanExporter()
  beforeAll(() => {
    provider = new NodeTracerProvider({ sampler: new AlwaysOffSampler(), spanProcessors: [new SimpleSpanProcessor(exporter)] })
    provider.register()
  })
  afterAll(async () => {
    await provider.shutdown()
    trace.disable()
    context.disable()
  })

  it('keeps the trace context for the work, records nothing, and makes no statement spans', async () => {
    const handle = createClaimsHttpHandler({ upstream })
    const page = await callHandler(handle, { path: '/api/v1/claims/', token: a.token })
    expect(page.status).toBe(200)
    const inside = await inSpan('outer', {}, async (span) => ({ active: trace.getActiveSpan() === span, recording: span.isRecording() }))
    expect(inside).toEqual({ active: true, recording: false })
    expect(exporter.getFinishedSpans()).toEqual([])
  })
})
