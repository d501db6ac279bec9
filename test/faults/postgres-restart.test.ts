import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { claimsMigrations, createDatabase, migrateToLatest, type UpstreamDatabase, type ClaimsDatabase } from '../support/upstream.js'
import { createHttpFixture } from '../http/http-fixture.js'
import { startExampleProcess, type ExampleProcess } from '../support/example-process.js'
import { startOwnPostgres, type OwnPostgres } from '../support/own-postgres.js'

// PostgreSQL restarts under load (a cluster this test starts for itself, never the shared
// one): the example server, in a process of its own, must stay up, answer every request in
// the outage with 503 + Retry-After (never a 500, never a hang), and answer 200 again within
// seconds of PostgreSQL's return, with no restart of the process.

const CLIENTS = 8
const DOWN_MS = 2000

interface Sample {
  readonly startedAt: number
  readonly endedAt: number
  readonly status: number | string
  readonly retryAfter: string | null
}

let pg: OwnPostgres
let token: string

beforeAll(async () => {
  pg = await startOwnPostgres()
  const upstream: UpstreamDatabase<ClaimsDatabase> = await createDatabase<ClaimsDatabase>({ connectionString: pg.url })
  try {
    await migrateToLatest(upstream, { sets: [claimsMigrations] })
    token = (await createHttpFixture(upstream, 'restart')).a.token
  } finally {
    await upstream.destroy()
  }
})
afterAll(async () => pg?.destroy())

async function load(url: string, until: () => boolean): Promise<Sample[]> {
  const samples: Sample[] = []
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (!until()) {
        const startedAt = performance.now()
        try {
          const response = await fetch(`${url}/api/v1/uploads/?page_size=5`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(30_000) })
          await response.arrayBuffer()
          samples.push({ startedAt, endedAt: performance.now(), status: response.status, retryAfter: response.headers.get('retry-after') })
        } catch (error) {
          samples.push({ startedAt, endedAt: performance.now(), status: error instanceof Error ? `${error.name}: ${error.message}` : String(error), retryAfter: null })
          await sleep(50) // a refused connection answers at once: do not spin
        }
      }
    }),
  )
  return samples
}

function report(name: string, samples: readonly Sample[], stoppedAt: number, returnedAt: number) {
  const before = samples.filter((s) => s.endedAt < stoppedAt)
  const outage = samples.filter((s) => s.endedAt >= stoppedAt && s.startedAt < returnedAt)
  const after = samples.filter((s) => s.startedAt >= returnedAt)
  const firstOk = after.filter((s) => s.status === 200).sort((x, y) => x.endedAt - y.endedAt)[0]
  const longest = Math.max(...outage.map((s) => s.endedAt - s.startedAt))
  const recoveryMs = firstOk ? firstOk.endedAt - returnedAt : Number.POSITIVE_INFINITY
  console.log(
    `[postgres-restart ${name}] ${samples.length} requests by ${CLIENTS} clients; outage ${DOWN_MS} ms: ${outage.length} requests, ` +
      `${outage.filter((s) => s.status === 503).length} x 503, longest ${longest.toFixed(0)} ms; first 200 ${recoveryMs.toFixed(0)} ms after PostgreSQL returned`,
  )
  return { before, outage, after, firstOk, longest, recoveryMs }
}

describe('the express and koa examples while PostgreSQL restarts under load', () => {
  const servers: ExampleProcess[] = []
  afterAll(async () => Promise.all(servers.map((s) => s.stop())))

  it('stay up, answer 503 + Retry-After during the outage, and 200 within seconds of the return', async () => {
    // both at once, in processes of their own, under the same restart
    servers.push(...(await Promise.all((['express', 'koa'] as const).map((name) => startExampleProcess(name, { DATABASE_URL: pg.url })))))
    let done = false
    const running = servers.map((server) => load(server.url, () => done))
    await sleep(800)
    const stoppedAt = performance.now()
    await pg.stop()
    await sleep(DOWN_MS)
    await pg.start() // returns once PostgreSQL accepts connections
    const returnedAt = performance.now()
    await sleep(1200)
    done = true
    const results = await Promise.all(running)

    for (const [i, name] of (['express', 'koa'] as const).entries()) {
      const server = servers[i]!
      expect(server.alive(), server.output()).toBe(true)
      const { before, outage, after, firstOk, longest, recoveryMs } = report(name, results[i]!, stoppedAt, returnedAt)
      expect(before.length).toBeGreaterThan(0)
      expect(before.every((s) => s.status === 200)).toBe(true)
      // during the outage: only 200 (served before the stop took hold) or 503 with Retry-After
      const statuses = [...new Set(outage.map((s) => s.status))].sort()
      expect(statuses.every((s) => s === 200 || s === 503), `${name} statuses during the outage: ${statuses.join(', ')}`).toBe(true)
      expect(outage.filter((s) => s.status === 503).length).toBeGreaterThan(0)
      expect(outage.filter((s) => s.status === 503).every((s) => s.retryAfter === '1')).toBe(true)
      // after the return: the first 200, and nothing but 200 once it came
      expect(firstOk, `${name}: no 200 after PostgreSQL returned`).toBeDefined()
      expect(after.filter((s) => s.startedAt > firstOk!.endedAt).every((s) => s.status === 200)).toBe(true)
      expect(longest).toBeLessThan(5000)
      expect(recoveryMs).toBeLessThan(5000)
    }
  })
})
