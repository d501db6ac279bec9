import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Redis } from 'ioredis'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../examples/express/create-app.js'
import { httpOptionsFromEnv } from '../../examples/shared/http-options-from-env.js'
import { claimsTenant, createClaimsHttpHandler, createRedisCountCache, listUploads, RedisThrottleStore } from '../support/upstream.js'
import { callHandler } from '../http/call-handler.js'
import { createHttpFixture, type FixtureTenant } from '../http/http-fixture.js'
import { startOwnRedis, type OwnRedis } from '../support/own-redis.js'
import { createTestDatabase, type TestDatabase } from '../support/test-database.js'

// Redis (a redis-server this test starts for itself) is killed or frozen while the throttle
// store and the count cache use it. No request may hang: each waits at most the store's
// timeout, then fails open (the default: let through, count from PostgreSQL) or closed (503).

let upstream: TestDatabase
let a: FixtureTenant
let redis: OwnRedis
const clients: Redis[] = []

beforeAll(async () => {
  upstream = await createTestDatabase()
  ;({ a } = await createHttpFixture(upstream, 'redis-down'))
  redis = await startOwnRedis()
})
afterEach(async () => {
  redis.thaw()
  await redis.kill()
  await redis.restart()
  for (const client of clients.splice(0)) client.disconnect()
})
afterAll(async () => {
  await redis?.destroy()
  await upstream?.destroy()
})

/** An ioredis client with ioredis's defaults: commands wait in its offline queue while Redis is away. */
async function patientClient(): Promise<Redis> {
  const client = new Redis(redis.url, { lazyConnect: true })
  client.on('error', () => undefined)
  clients.push(client)
  await client.connect()
  return client
}

/** Resolves `work` or rejects after `ms`: a hang fails the test instead of stalling it. */
async function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  try {
    return await Promise.race([work, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`hung for ${ms} ms`)), ms)))])
  } finally {
    clearTimeout(timer)
  }
}

const timed = async <T>(work: Promise<T>) => {
  const started = performance.now()
  const value = await within(3000, work)
  return { value, ms: performance.now() - started }
}

describe.each([
  ['killed', () => redis.kill()],
  ['frozen', async () => redis.freeze()],
] as const)('the Redis throttle store with Redis %s', (_state, takeDown) => {
  it('fails open by default: every request answers 200 within the timeout, and the errors are reported', async () => {
    const errors: unknown[] = []
    const store = new RedisThrottleStore(await patientClient(), { timeoutMs: 150, onError: (e) => errors.push(e) })
    const handle = createClaimsHttpHandler({ upstream, throttle: { capacity: 2, refillPerSecond: 0.1, store } })
    const get = () => timed(callHandler(handle, { path: `/api/v1/uploads/${a.upload.id}/`, token: a.token }))
    expect((await get()).value.status).toBe(200)
    await takeDown()
    const first = await get()
    expect(first.value.status).toBe(200)
    expect(first.ms).toBeLessThan(1000) // the 150 ms timeout, not Redis's return
    // during the cooldown, Redis is not asked: no wait at all, and more than the capacity passes
    for (let i = 0; i < 4; i++) {
      const next = await get()
      expect(next.value.status).toBe(200)
      expect(next.ms).toBeLessThan(500)
    }
    expect(errors.length).toBe(1)
  })

  it("fails closed on request: 503 with Retry-After within the timeout", async () => {
    const store = new RedisThrottleStore(await patientClient(), { timeoutMs: 150, failMode: 'closed', cooldownMs: 2000 })
    const handle = createClaimsHttpHandler({ upstream, throttle: { capacity: 100, refillPerSecond: 1, store }, logger: { error: () => undefined, warn: () => undefined } })
    await takeDown()
    const { value, ms } = await timed(callHandler(handle, { path: `/api/v1/uploads/${a.upload.id}/`, token: a.token }))
    expect(value.status).toBe(503)
    expect(value.headers['retry-after']).toBe('2')
    expect(value.json).toEqual({ detail: 'Service temporarily unavailable, try again later.' })
    expect(ms).toBeLessThan(1000)
  })
})

describe('the Redis count cache with Redis frozen', () => {
  it('is a miss within the timeout: the count comes from PostgreSQL', async () => {
    const cache = createRedisCountCache(await patientClient(), { prefix: `upstream-test:${upstream.schema}:`, timeoutMs: 150 })
    const tenant = claimsTenant(upstream, a.customerId)
    const url = 'http://api.test/api/v1/uploads/'
    const warm = await listUploads(tenant, {}, { url, countCache: cache })
    redis.freeze()
    const { value, ms } = await timed(listUploads(tenant, {}, { url, countCache: cache }))
    expect(value.count).toBe(warm.count)
    expect(ms).toBeLessThan(1500)
  })
})

describe('the example server with THROTTLE_* and REDIS_URL, Redis killed then back', () => {
  let server: Server | undefined
  afterAll(async () => new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined))))

  it('keeps answering 200 while Redis is down, and throttles again once it is back', async () => {
    const http = await httpOptionsFromEnv({ THROTTLE_CAPACITY: '3', THROTTLE_REFILL_PER_SECOND: '0.01', REDIS_URL: redis.url })
    server = createServer(createApp({ upstream, http }))
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/uploads/${a.upload.id}/`
    const get = () => timed(fetch(url, { headers: { authorization: `Bearer ${a.readToken}` } }))
    for (let i = 0; i < 50 && (await get()).value.status !== 200; i++) await new Promise((r) => setTimeout(r, 50)) // connected
    await redis.kill()
    for (let i = 0; i < 6; i++) {
      const { value, ms } = await get()
      expect(value.status).toBe(200)
      expect(ms).toBeLessThan(1000)
    }
    await redis.restart()
    // once ioredis has reconnected (and the store's cooldown passed), the bucket counts again
    let throttled = false
    for (let i = 0; i < 100 && !throttled; i++) {
      throttled = (await get()).value.status === 429
      if (!throttled) await new Promise((r) => setTimeout(r, 100))
    }
    expect(throttled).toBe(true)
  })
})
