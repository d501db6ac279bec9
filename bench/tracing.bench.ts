/**
 * What OpenTelemetry tracing costs a cheap request (`GET /api/v1/uploads/{id}/`: the key lookup
 * and one tenant read, four statements) through the HTTP core (`createClaimsHttpHandler`, no web
 * framework, real PostgreSQL), in CPU time per request (`process.cpuUsage`, user + system):
 *
 * 1. **no SDK**: the `@opentelemetry/api` no-op, what every app gets until it installs an SDK;
 * 2. **SDK, sampled out**: a registered NodeTracerProvider whose sampler records nothing;
 * 3. **SDK, recording**: every span recorded (seven per request) and batched to an exporter
 *    that drops them (the SDK's cost without the network);
 * 4. **no SDK, ALS on**: no SDK, but an `AsyncLocalStorage` of the process in use (what the
 *    SDK's context manager turns on, and what most apps' own request context already does):
 *    on Node 20 that alone puts a hook on every promise, which is most of what 2 and 3 cost.
 *
 * The modes take turns (the order rotates every round) and the table shows medians over rounds.
 * Then, with no SDK and no database, the tracing calls one such request makes, timed alone
 * (the hand-written baseline: the same request handler without the wrapper and helpers), so
 * the no-op's share of the request is a measured number, not an estimate.
 *
 * Environment: BENCH_TRACING_ROUNDS (default 7), BENCH_TRACING_REQUESTS (per mode and round, default 400).
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import { context, propagation, trace } from '@opentelemetry/api'
import { AlwaysOffSampler, BatchSpanProcessor, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base'
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node'
import { createClaimsHttpHandler } from '../src/claims/index.js'
import { traceHttpRequest, type HttpHandler, type HttpRequest, type HttpResponse } from '../src/http/index.js'
import { inSpan, startStatementSpan } from '../src/tracing/index.js'
import type { BenchContext } from './support/bench-context.js'

const ROUNDS = Number(process.env.BENCH_TRACING_ROUNDS ?? 7)
const REQUESTS = Number(process.env.BENCH_TRACING_REQUESTS ?? 400)
const MODES = ['no SDK', 'SDK, sampled out', 'SDK, recording', 'no SDK, ALS on'] as const
type Mode = (typeof MODES)[number]

const dropAll: SpanExporter = {
  export: (_spans: ReadableSpan[], done) => done({ code: 0 }),
  shutdown: async () => {},
}

function install(mode: Mode): () => Promise<void> {
  if (mode === 'no SDK') return async () => {}
  if (mode === 'no SDK, ALS on') {
    const storage = new AsyncLocalStorage<object>()
    storage.enterWith({})
    return async () => storage.disable()
  }
  const provider = new NodeTracerProvider(
    mode === 'SDK, sampled out'
      ? { sampler: new AlwaysOffSampler() }
      : { spanProcessors: [new BatchSpanProcessor(dropAll, { maxQueueSize: 100_000, scheduledDelayMillis: 200 })] },
  )
  provider.register()
  return async () => {
    await provider.shutdown()
    trace.disable()
    context.disable()
    propagation.disable()
  }
}

const median = (values: readonly number[]) => {
  const s = [...values].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2
}

/** CPU microseconds per call of `fn`, over `n` sequential calls. */
async function cpuPerCall(n: number, fn: () => Promise<unknown>): Promise<number> {
  const before = process.cpuUsage()
  for (let i = 0; i < n; i++) await fn()
  const used = process.cpuUsage(before)
  return (used.user + used.system) / n
}

export default async function tracingBench(ctx: BenchContext): Promise<void> {
  const customer = ctx.customers[0]
  if (!customer) throw new Error('no bench customers')
  const upload = await ctx.upstream.db.selectFrom('uploads').select('id').where('customer_id', '=', customer.customer_id).orderBy('id').executeTakeFirstOrThrow()
  const path = `/api/v1/uploads/${upload.id}/`
  const request: HttpRequest = {
    method: 'GET',
    path,
    query: new URLSearchParams(),
    headers: { host: 'bench.test', authorization: `Bearer ${customer.token}` },
    body: null,
    url: `http://bench.test${path}`,
  }
  const handle = createClaimsHttpHandler({ upstream: ctx.upstream })
  const call = async () => {
    const r = await handle(request)
    if (r.status !== 200) throw new Error(`${path}: ${r.status} ${JSON.stringify(r.body)}`)
  }

  // warm up every mode once (JIT, pool, prepared caches)
  for (const mode of MODES) {
    const uninstall = install(mode)
    for (let i = 0; i < 600; i++) await call()
    await uninstall()
  }
  const samples = new Map<Mode, number[]>(MODES.map((m) => [m, []]))
  for (let round = 0; round < ROUNDS; round++) {
    const order = MODES.map((_, i) => MODES[(i + round) % MODES.length] as Mode)
    for (const mode of order) {
      const uninstall = install(mode)
      samples.get(mode)?.push(await cpuPerCall(REQUESTS, call))
      await uninstall()
    }
  }
  const base = median(samples.get('no SDK') ?? [])
  console.log(`GET /api/v1/uploads/{id}/ through createClaimsHttpHandler, ${ROUNDS} rounds x ${REQUESTS} sequential requests per mode`)
  console.log(['mode'.padEnd(18), 'CPU µs/request'.padStart(15), 'vs no SDK'.padStart(10), 'per round'].join('  '))
  for (const mode of MODES) {
    const m = median(samples.get(mode) ?? [])
    console.log([mode.padEnd(18), m.toFixed(1).padStart(15), `${(m / base).toFixed(2)}x`.padStart(10), (samples.get(mode) ?? []).map((v) => v.toFixed(0)).join(' ')].join('  '))
  }

  // The no-op's own cost: the tracing calls of one such request, with no SDK and no database.
  const constant: HttpResponse = { status: 200, headers: {}, body: { id: 1 }, route: '/api/v1/uploads/{id}/' }
  const bare: HttpHandler = async () => constant
  const traced = async () => {
    // what the request above runs: the request span, the transaction span, four statement lookups
    await traceHttpRequest(request, () => inSpan('transaction', {}, async () => {
      for (let i = 0; i < 4; i++) startStatementSpan('select 1', {})?.end()
      return constant
    }))
  }
  const plain = async () => {
    await bare(request)
    for (let i = 0; i < 4; i++) void 0
  }
  const N = 200_000
  for (let i = 0; i < 20_000; i++) {
    await traced()
    await plain()
  }
  const tracedNs: number[] = []
  const plainNs: number[] = []
  for (let round = 0; round < ROUNDS; round++) {
    tracedNs.push((await cpuPerCall(N, traced)) * 1000)
    plainNs.push((await cpuPerCall(N, plain)) * 1000)
  }
  const noop = median(tracedNs) - median(plainNs)
  console.log(`\nno SDK, no database: the tracing calls of one request cost ${noop.toFixed(0)} ns of CPU (${median(tracedNs).toFixed(0)} ns with them, ${median(plainNs).toFixed(0)} ns without),`)
  console.log(`${((noop / 1000 / base) * 100).toFixed(2)}% of the request's ${base.toFixed(1)} µs above.`)
}
