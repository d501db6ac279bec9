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
    expect(step.decision).toEqual({ allowed: true, retryAfterSeconds: 0, remaining: 1 })
    step = takeToken(step.state, limit, 0)
    expect(step.decision.allowed).toBe(true)
    step = takeToken(step.state, limit, 0)
    expect(step.decision).toEqual({ allowed: false, retryAfterSeconds: 2, remaining: 0 })
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
})
