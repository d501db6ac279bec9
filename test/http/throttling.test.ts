import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClaimsHttpHandler } from '../support/upstream.js'
import { MemoryThrottleStore } from '../../src/http/throttle/memory-throttle-store.js'
import { RedisThrottleStore } from '../../src/http/throttle/redis-throttle-store.js'
import type { ThrottleStore } from '../../src/http/throttle/throttle-store.js'
import { takeToken } from '../../src/http/throttle/token-bucket.js'
import { createTestDatabase, type TestDatabase } from '../support/test-database.js'
import { callHandler } from './call-handler.js'
import { createHttpFixture, type FixtureTenant } from './http-fixture.js'

let upstream: TestDatabase
let a: FixtureTenant
let b: FixtureTenant
let redis: Redis

beforeAll(async () => {
  upstream = await createTestDatabase()
  ;({ a, b } = await createHttpFixture(upstream))
  redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 1 })
  await redis.connect() // no Redis: this file fails, it does not skip
})
afterAll(async () => {
  redis?.disconnect()
  await upstream?.destroy()
})

describe('token bucket', () => {
  it('allows a burst of capacity, then refills at the rate', () => {
    const limit = { capacity: 2, refillPerSecond: 0.5 }
    let step = takeToken(undefined, limit, 0)
    expect(step.decision).toEqual({ allowed: true, retryAfterSeconds: 0, remaining: 1, resetSeconds: 2 })
    step = takeToken(step.state, limit, 0)
    expect(step.decision.allowed).toBe(true)
    step = takeToken(step.state, limit, 0)
    expect(step.decision).toEqual({ allowed: false, retryAfterSeconds: 2, remaining: 0, resetSeconds: 4 })
    step = takeToken(step.state, limit, 2000)
    expect(step.decision.allowed).toBe(true)
  })
})

describe.each([
  ['memory', () => new MemoryThrottleStore()],
  ['redis', () => new RedisThrottleStore(redis, { prefix: `upstream-test:${Date.now()}:${Math.random()}:` })],
])('throttling per key with the %s store', (_name, makeStore: () => ThrottleStore) => {
  it('answers 429 with Retry-After past the burst, per key, and not at all when off', async () => {
    const handle = createClaimsHttpHandler({ upstream, throttle: { capacity: 2, refillPerSecond: 0.25, store: makeStore() } })
    const get = (token: string) => callHandler(handle, { path: `/api/v1/uploads/${a.upload.id}/`, token })
    expect((await get(a.token)).status).toBe(200)
    expect((await get(a.token)).status).toBe(200)
    const refused = await get(a.token)
    expect(refused.status).toBe(429)
    expect(refused.headers['retry-after']).toBe('4')
    expect(refused.json).toEqual({ detail: 'Request was throttled. Expected available in 4 seconds.' })
    // another key of the same tenant has its own bucket
    expect((await get(a.readToken)).status).toBe(200)
    // another tenant too (its 404 proves it got past the throttle)
    expect((await get(b.token)).status).toBe(404)

    const unthrottled = createClaimsHttpHandler({ upstream })
    for (let i = 0; i < 5; i++) expect((await callHandler(unthrottled, { path: `/api/v1/uploads/${a.upload.id}/`, token: a.token })).status).toBe(200)
  })

  it('puts RateLimit-Limit, -Remaining and -Reset (draft -06) on every throttled response, 429 and errors included', async () => {
    // capacity 3, one token back every 100 s (slow, so the test's own duration barely refills)
    const handle = createClaimsHttpHandler({ upstream, throttle: { capacity: 3, refillPerSecond: 0.01, store: makeStore() } })
    const get = (token: string, path = `/api/v1/uploads/${a.upload.id}/`) => callHandler(handle, { path, token })
    /** Limit and remaining exactly; reset: seconds until full again, within the few seconds the test has run. */
    const expectLimits = (r: { headers: Readonly<Record<string, string>> }, remaining: number, fullInSeconds: number) => {
      expect(r.headers['ratelimit-limit']).toBe('3')
      expect(r.headers['ratelimit-remaining']).toBe(String(remaining))
      const reset = Number(r.headers['ratelimit-reset'])
      expect(Number.isInteger(reset)).toBe(true)
      expect(reset).toBeLessThanOrEqual(fullInSeconds)
      expect(reset).toBeGreaterThan(fullInSeconds - 5)
    }
    const first = await get(a.token)
    expect(first.status).toBe(200)
    expectLimits(first, 2, 100)
    expectLimits(await get(a.token), 1, 200)
    // an error after the throttle carries them too
    const missing = await get(a.token, '/api/v1/uploads/999999999/')
    expect(missing.status).toBe(404)
    expectLimits(missing, 0, 300)
    const refused = await get(a.token)
    expect(refused.status).toBe(429)
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(95)
    expectLimits(refused, 0, 300)
    // a 304 too
    const tagged = await get(a.readToken)
    const revalidated = await callHandler(handle, { path: `/api/v1/uploads/${a.upload.id}/`, token: a.readToken, headers: { 'if-none-match': tagged.headers.etag! } })
    expect(revalidated.status).toBe(304)
    expectLimits(revalidated, 1, 200)
    const limits = (r: { headers: Readonly<Record<string, string>> }) => [r.headers['ratelimit-limit'], r.headers['ratelimit-remaining'], r.headers['ratelimit-reset']]
    // never on an unthrottled server, nor on a request refused before the throttle
    const unthrottled = createClaimsHttpHandler({ upstream })
    expect(limits(await callHandler(unthrottled, { path: `/api/v1/uploads/${a.upload.id}/`, token: a.token }))).toEqual([undefined, undefined, undefined])
    expect(limits(await get('not-a-token'))).toEqual([undefined, undefined, undefined])
  })
})
