/**
 * `GET /api/v1/claims/` throughput with the Express example behind PgBouncer (transaction
 * mode): one instance directly, one through PgBouncer, and two instances through PgBouncer
 * sharing the load, next to the hand-written `node:http` + `pg` server (directly), all in
 * the same run, taking turns (the order rotates every round). Each server is a process of
 * its own; autocannon runs here with BENCH_PGBOUNCER_CONNECTIONS (default 20) connections
 * in all, split evenly over the instances of a line.
 *
 * PgBouncer: BENCH_PGBOUNCER_URL, else 127.0.0.1:6432 with the bench database's name and user
 * (scripts/ci/start-pgbouncer.sh starts one). When none answers, the bench says so and
 * measures nothing: never a silent skip.
 *
 * Environment: BENCH_HTTP_SECONDS (per measured run, default 3), BENCH_HTTP_ROUNDS (default 2).
 */
import type { ChildProcess } from 'node:child_process'
import { spawn } from 'node:child_process'
import { connect } from 'node:net'
import { join } from 'node:path'
import autocannon from 'autocannon'
import type { BenchContext } from './support/bench-context.js'
import { BENCH_DATA } from './support/ensure-bench-data.js'

const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 3)
const ROUNDS = Number(process.env.BENCH_HTTP_ROUNDS ?? 2)
const CONNECTIONS = Number(process.env.BENCH_PGBOUNCER_CONNECTIONS ?? 20)
const PATH = '/api/v1/claims/'

/** The PgBouncer to go through: BENCH_PGBOUNCER_URL, else port 6432 on this machine. */
function pgbouncerUrlFor(direct: string): string {
  if (process.env.BENCH_PGBOUNCER_URL) return process.env.BENCH_PGBOUNCER_URL
  const url = new URL(direct)
  url.hostname = '127.0.0.1'
  url.port = '6432'
  return url.toString()
}

async function answers(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port || 5432) })
    socket.setTimeout(1000)
    socket.once('connect', () => (socket.destroy(), resolve(true)))
    socket.once('error', () => resolve(false))
    socket.once('timeout', () => (socket.destroy(), resolve(false)))
  })
}

async function startServer(kind: 'express' | 'baseline', env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; origin: string }> {
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

/** Requests per second of all `origins` loaded at once, CONNECTIONS split over them. */
async function load(origins: readonly string[], token: string, seconds: number): Promise<number> {
  const each = Math.max(1, Math.floor(CONNECTIONS / origins.length))
  const results = await Promise.all(
    origins.map((origin) => autocannon({ url: `${origin}${PATH}`, connections: each, duration: seconds, headers: { authorization: `Bearer ${token}` } })),
  )
  const bad = results.reduce((n, r) => n + r.non2xx + r.errors, 0)
  if (bad > 0) throw new Error(`${origins.join(', ')}: ${bad} non-2xx answers or errors`)
  return results.reduce((sum, r) => sum + r.requests.average, 0)
}

const median = (values: readonly number[]) => {
  const s = [...values].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2
}

export default async function pgbouncerBench(ctx: BenchContext): Promise<void> {
  const customer = ctx.customers[0]
  if (!customer) throw new Error('no bench customers')
  const pgbouncer = pgbouncerUrlFor(ctx.url)
  const where = new URL(pgbouncer).host
  if (!(await answers(pgbouncer))) {
    console.log(`PgBouncer: NOT RUNNING at ${where}: the one/two instances through PgBouncer lines are not measured (start one: scripts/ci/start-pgbouncer.sh, or set BENCH_PGBOUNCER_URL)`)
    return
  }
  process.env.UPSTREAM_CURSOR_SECRET ||= 'upstream-http-bench-cursor-secret'
  const base = { ...process.env, BENCH_SCHEMA: BENCH_DATA.schema }
  const started: { child: ChildProcess; origin: string }[] = []
  const start = async (kind: 'express' | 'baseline', url: string) => {
    const server = await startServer(kind, { ...base, BENCH_DATABASE_URL: url })
    started.push(server)
    return server.origin
  }
  try {
    const lines: ReadonlyArray<{ name: string; origins: readonly string[] }> = [
      { name: 'hand-written node:http + pg, directly', origins: [await start('baseline', ctx.url)] },
      { name: 'express, 1 instance, directly', origins: [await start('express', ctx.url)] },
      { name: `express, 1 instance, PgBouncer ${where}`, origins: [await start('express', pgbouncer)] },
      { name: `express, 2 instances, PgBouncer ${where}`, origins: [await start('express', pgbouncer), await start('express', pgbouncer)] },
    ]
    for (const line of lines) await load(line.origins, customer.token, 1) // warm-up, and every instance answers 200
    const rps = new Map<string, number[]>()
    for (let round = 0; round < ROUNDS; round++) {
      const order = [...lines.slice(round % lines.length), ...lines.slice(0, round % lines.length)]
      for (const line of order) rps.set(line.name, [...(rps.get(line.name) ?? []), await load(line.origins, customer.token, SECONDS)])
    }
    const baseline = median(rps.get(lines[0]!.name) ?? [])
    console.log(`GET ${PATH} (default page); autocannon ${CONNECTIONS} connections in all, ${SECONDS} s per run, median of ${ROUNDS} round(s); PgBouncer transaction mode at ${where}`)
    const width = Math.max(...lines.map((l) => l.name.length))
    for (const line of lines) {
      const runs = rps.get(line.name) ?? []
      const value = median(runs)
      console.log(`${line.name.padEnd(width)}  ${value.toFixed(0).padStart(6)} req/s  ${((value / baseline) * 100).toFixed(0).padStart(4)}% of hand-written  (${runs.map((r) => r.toFixed(0)).join(' ')})`)
    }
  } finally {
    for (const { child } of started) child.kill('SIGTERM')
  }
}
