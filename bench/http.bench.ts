/**
 * Requests per second, p50/p99 latency and server CPU per request of `GET /api/v1/claims/`
 * (the default page; a cheap filtered page, `service_date=<a day>`; filtered and ordered,
 * `status=denied&ordering=-billed_amount`; a frequent-term search, `search=Blue`; a cursor
 * page) on the Express and the Koa example over the seeded bench data (10 customers x
 * 100,000 claims), next to a hand-written `node:http` + `pg` server (bench/http/baseline-server.ts:
 * tokens cached, RLS set in one round trip, rows and exact count in one statement, a plain
 * `ILIKE` for the search). Each server runs in a process of its own; autocannon runs here, on
 * loopback. The search row's ratio is the "searched first page vs plain ILIKE with exact
 * count" figure.
 *
 * Per case, the three servers take turns (the order rotates every round), so a load change on
 * the machine hits all of them alike; the table shows medians over rounds.
 *
 * Environment: BENCH_HTTP_SECONDS (per measured run, default 3), BENCH_HTTP_WARMUP_SECONDS
 * (per server and case, before the first round, default 2), BENCH_HTTP_ROUNDS (default 3),
 * BENCH_HTTP_CONNECTIONS (default 16).
 *
 * Conditional requests: the default page on the Express example, repeated with the `ETag` of
 * its first answer in `If-None-Match` (every answer a 304 after one statement), next to the
 * same page without it and to the hand-written server's full page, in the same run, rounds
 * interleaved. BENCH_HTTP_ETAG_SECONDS (per run, default 2); BENCH_HTTP_ONLY=etag skips the
 * other cases.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import autocannon from 'autocannon'
import { BENCH_DATA } from './support/ensure-bench-data.js'
import type { BenchContext } from './support/bench-context.js'

const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 3)
const WARMUP = Number(process.env.BENCH_HTTP_WARMUP_SECONDS ?? 2)
const ROUNDS = Number(process.env.BENCH_HTTP_ROUNDS ?? 3)
const CONNECTIONS = Number(process.env.BENCH_HTTP_CONNECTIONS ?? 16)
const ETAG_SECONDS = Number(process.env.BENCH_HTTP_ETAG_SECONDS ?? 2)
const ONLY_ETAG = process.env.BENCH_HTTP_ONLY === 'etag'
const SERVERS = ['baseline', 'express', 'koa'] as const
type ServerKind = (typeof SERVERS)[number]

const CASES: ReadonlyArray<{ name: string; path: string }> = [
  { name: 'default page 1', path: '/api/v1/claims/' },
  { name: 'cheap: service_date', path: '/api/v1/claims/?service_date=2026-11-18' },
  { name: 'status=denied&ordering=-billed_amount', path: '/api/v1/claims/?status=denied&ordering=-billed_amount' },
  { name: 'search=Blue (vs plain ILIKE, exact count)', path: '/api/v1/claims/?search=Blue' },
  { name: 'cursor page 2', path: '' }, // filled from page 1's `next`
]

interface RunResult {
  readonly rps: number
  readonly p50: number
  readonly p99: number
  /** Server CPU (user + system) per request, ms. */
  readonly cpuMs?: number
}

const median = (values: readonly number[]) => {
  const s = [...values].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2
}

async function startServer(kind: ServerKind, env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; origin: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'http', 'serve.ts'), kind], { env, stdio: ['ignore', 'pipe', 'inherit'] })
  const port = await new Promise<number>((resolve, reject) => {
    let out = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const m = /LISTENING (\d+)/.exec(out)
      if (m) resolve(Number(m[1]))
    })
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)))
  })
  return { child, origin: `http://127.0.0.1:${port}` }
}

async function cpuOf(origin: string): Promise<number> {
  const r = (await (await fetch(`${origin}/__cpu`)).json()) as { user: number; system: number }
  return r.user + r.system
}

async function load(origin: string, path: string, token: string, seconds: number): Promise<RunResult> {
  const before = await cpuOf(origin)
  const result = await autocannon({ url: `${origin}${path}`, connections: CONNECTIONS, duration: seconds, headers: { authorization: `Bearer ${token}` } })
  const cpu = (await cpuOf(origin)) - before
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${path}: ${result.non2xx} non-2xx answers, ${result.errors} errors`)
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, cpuMs: cpu / 1000 / Math.max(1, result.requests.total) }
}

/** Requests per second of one URL, every answer of the expected status class (`2xx` or `3xx`). */
async function loadExpecting(url: string, headers: Record<string, string>, seconds: number, expect: '2xx' | '3xx'): Promise<RunResult> {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: seconds, headers })
  const answers = result['1xx'] + result['2xx'] + result['3xx'] + result['4xx'] + result['5xx']
  if (result.errors > 0 || result[expect] !== answers) {
    const classes = (['1xx', '2xx', '3xx', '4xx', '5xx'] as const).map((c) => `${c}: ${result[c]}`).join(', ')
    throw new Error(`${url}: ${answers - result[expect]} answers not ${expect} (${classes}), ${result.errors} errors`)
  }
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 }
}

/** The default page with and without `If-None-Match`, and the hand-written server's full page. */
async function conditionalBench(origins: ReadonlyMap<ServerKind, { origin: string }>, path: string, token: string): Promise<void> {
  // the same Accept on every request: it is part of the tag (fetch sends */* by default, autocannon none)
  const auth = { authorization: `Bearer ${token}`, accept: 'application/json' }
  const first = await fetch(`${origins.get('express')!.origin}${path}`, { headers: auth })
  const etag = first.headers.get('etag')
  await first.arrayBuffer()
  if (first.status !== 200 || !etag) throw new Error(`${path}: ${first.status}, ETag ${etag}`)
  const variants = [
    { name: 'baseline full page (hand-written)', origin: origins.get('baseline')!.origin, headers: auth, expect: '2xx' as const },
    { name: 'express full page', origin: origins.get('express')!.origin, headers: auth, expect: '2xx' as const },
    { name: 'express If-None-Match -> 304', origin: origins.get('express')!.origin, headers: { ...auth, 'if-none-match': etag }, expect: '3xx' as const },
  ]
  const runs = new Map<string, RunResult[]>()
  for (const v of variants) await loadExpecting(`${v.origin}${path}`, v.headers, 1, v.expect) // warm-up
  for (let round = 0; round < ROUNDS; round++) {
    const order = [...variants.slice(round % variants.length), ...variants.slice(0, round % variants.length)]
    for (const v of order) runs.set(v.name, [...(runs.get(v.name) ?? []), await loadExpecting(`${v.origin}${path}`, v.headers, ETAG_SECONDS, v.expect)])
  }
  const full = median((runs.get('express full page') ?? []).map((r) => r.rps))
  const base = median((runs.get('baseline full page (hand-written)') ?? []).map((r) => r.rps))
  console.log(`\nConditional GET ${path}: autocannon ${CONNECTIONS} connections, ${ETAG_SECONDS} s per run, median of ${ROUNDS} round(s)`)
  const header = ['variant', 'req/s', 'p50 ms', 'p99 ms', 'vs express full', 'vs baseline', 'req/s per round']
  const rows = variants.map((v) => {
    const r = runs.get(v.name) ?? []
    const rps = median(r.map((x) => x.rps))
    return [v.name, rps.toFixed(0), median(r.map((x) => x.p50)).toFixed(1), median(r.map((x) => x.p99)).toFixed(1), `${(rps / full).toFixed(2)}x`, `${(rps / base).toFixed(2)}x`, r.map((x) => x.rps.toFixed(0)).join(' ')]
  })
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)))
  const line = (cells: readonly string[]) => cells.map((cell, i) => (i === 0 || i === 6 ? cell.padEnd(widths[i] as number) : cell.padStart(widths[i] as number))).join('  ')
  console.log([line(header), ...rows.map(line)].join('\n'))
}

export default async function httpBench(ctx: BenchContext): Promise<void> {
  const customer = ctx.customers[0]
  if (!customer) throw new Error('no bench customers')
  // One cursor secret for the servers, so page 1's cursor is valid on each.
  process.env.UPSTREAM_CURSOR_SECRET ||= 'upstream-http-bench-cursor-secret'
  const env = { ...process.env, BENCH_DATABASE_URL: ctx.url, BENCH_SCHEMA: BENCH_DATA.schema }
  const servers = new Map<ServerKind, { child: ChildProcess; origin: string }>()
  try {
    for (const kind of SERVERS) servers.set(kind, await startServer(kind, env))
    await conditionalBench(servers, '/api/v1/claims/', customer.token)
    if (ONLY_ETAG) return
    const get = async (kind: ServerKind, path: string) => {
      const res = await fetch(`${servers.get(kind)!.origin}${path}`, { headers: { authorization: `Bearer ${customer.token}` } })
      if (res.status !== 200) throw new Error(`${kind} ${path}: ${res.status} ${await res.text()}`)
      return (await res.json()) as { count?: number; count_is_estimate?: boolean; next?: string | null; results: { id: number }[] }
    }
    const first = await get('express', '/api/v1/claims/?pagination=cursor')
    if (typeof first.next !== 'string') throw new Error('cursor page 1 has no next link')
    const next = new URL(first.next)
    const cases = CASES.map((c) => (c.path ? c : { ...c, path: `${next.pathname}${next.search}` }))

    // Same answer from every server: same ids, same count (unless the library says it estimated).
    for (const c of cases) {
      const answers = await Promise.all(SERVERS.map((kind) => get(kind, c.path)))
      const estimated = answers.some((a) => a.count_is_estimate === true)
      const keys = answers.map((a) => JSON.stringify([estimated ? null : (a.count ?? null), a.results.map((r) => r.id)]))
      if (new Set(keys).size !== 1) throw new Error(`servers disagree on ${c.path}: ${keys.map((k) => k.slice(0, 80)).join(' / ')}`)
      if (estimated) console.log(`${c.name}: the library answers count ${answers[1]?.count} (count_is_estimate), the hand-written server ${answers[0]?.count} (exact)`)
    }

    const results = new Map<string, RunResult[]>()
    for (const [i, c] of cases.entries()) {
      const origin = (kind: ServerKind) => servers.get(kind)!.origin
      if (WARMUP > 0) for (const kind of SERVERS) await load(origin(kind), c.path, customer.token, WARMUP)
      for (let round = 0; round < ROUNDS; round++) {
        const order = [...SERVERS.slice(round % SERVERS.length), ...SERVERS.slice(0, round % SERVERS.length)]
        for (const kind of order) {
          const r = await load(origin(kind), c.path, customer.token, SECONDS)
          const key = `${CASES[i]!.name}|${kind}`
          results.set(key, [...(results.get(key) ?? []), r])
        }
      }
    }

    console.log(
      `GET /api/v1/claims/ over ${ctx.customers.length} x 100,000 claims, vs a hand-written server (token cache, count and rows in one statement, plain ILIKE); autocannon ${CONNECTIONS} connections, ${SECONDS} s per run (+${WARMUP} s warm-up), median of ${ROUNDS} round(s)`,
    )
    const header = ['case', 'server', 'req/s', 'p50 ms', 'p99 ms', 'vs baseline', 'CPU ms/req', 'req/s per round']
    const rows: string[][] = []
    for (const c of CASES) {
      const base = median((results.get(`${c.name}|baseline`) ?? []).map((r) => r.rps))
      for (const kind of SERVERS) {
        const runs = results.get(`${c.name}|${kind}`) ?? []
        const rps = median(runs.map((r) => r.rps))
        rows.push([
          c.name,
          kind,
          rps.toFixed(0),
          median(runs.map((r) => r.p50)).toFixed(1),
          median(runs.map((r) => r.p99)).toFixed(1),
          base > 0 ? (rps / base).toFixed(2) : "n/a",
          median(runs.map((r) => r.cpuMs ?? 0)).toFixed(3),
          runs.map((r) => r.rps.toFixed(0)).join(' '),
        ])
      }
    }
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)))
    const line = (cells: readonly string[]) => cells.map((cell, i) => (i < 2 || i === 7 ? cell.padEnd(widths[i] as number) : cell.padStart(widths[i] as number))).join('  ')
    console.log([line(header), ...rows.map(line)].join('\n'))
  } finally {
    for (const { child } of servers.values()) child.kill('SIGTERM')
  }
}
