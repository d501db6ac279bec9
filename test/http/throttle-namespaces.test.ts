import { randomUUID } from 'node:crypto'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RedisThrottleStore } from '../../src/http/index.js'
import { httpOptionsFromEnv } from '../../examples/shared/http-options-from-env.js'

// Two deployments on the machine's one Redis (127.0.0.1:6379), told apart by their namespace
// (UPSTREAM_REDIS_PREFIX). Every namespace here is unique to this run and deleted afterwards.
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
const run = `upstream-test-ns-${randomUUID()}`
let redis: Redis
const limit = { capacity: 2, refillPerSecond: 0.001 }

async function keys(pattern: string): Promise<string[]> {
  return (await redis.keys(pattern)).sort()
}

beforeAll(async () => {
  redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 })
  await redis.connect() // no Redis: this file fails, it does not skip
})

afterAll(async () => {
  const left = await redis.keys(`${run}*`)
  const legacy = await redis.keys(`upstream:throttle:${run}*`)
  if (left.length + legacy.length > 0) await redis.del(...left, ...legacy)
  redis.disconnect()
})

describe('RedisThrottleStore namespaces', () => {
  it('two namespaces on one Redis do not share a bucket', async () => {
    const a = new RedisThrottleStore(redis, { namespace: `${run}-a:` })
    const b = new RedisThrottleStore(redis, { namespace: `${run}-b:` })
    expect((await a.take('key:1', limit)).allowed).toBe(true)
    expect((await a.take('key:1', limit)).allowed).toBe(true)
    expect((await a.take('key:1', limit)).allowed).toBe(false) // A's bucket is empty
    const fromB = await b.take('key:1', limit) // the same API key id in deployment B: a full bucket
    expect(fromB).toMatchObject({ allowed: true, remaining: 1 })
    expect(await keys(`${run}*`)).toEqual([`${run}-a:throttle:key:1`, `${run}-b:throttle:key:1`])
  })

  it('the default namespace keeps the keys of before (upstream:throttle:<bucket>)', async () => {
    const store = new RedisThrottleStore(redis)
    await store.take(`${run}:key:1`, limit)
    expect(await keys(`upstream:throttle:${run}*`)).toEqual([`upstream:throttle:${run}:key:1`])
  })

  it('refuses a namespace with whitespace', () => {
    expect(() => new RedisThrottleStore(redis, { namespace: 'a b:' })).toThrow(RangeError)
    expect(() => new RedisThrottleStore(redis, { namespace: '' })).toThrow(RangeError)
  })
})

describe('the examples: UPSTREAM_REDIS_PREFIX', () => {
  it('two deployments with their own prefix on one REDIS_URL throttle apart', async () => {
    const env = (prefix: string) => ({ THROTTLE_CAPACITY: '2', THROTTLE_REFILL_PER_SECOND: '0.001', REDIS_URL, UPSTREAM_REDIS_PREFIX: prefix })
    const one = await httpOptionsFromEnv(env(`${run}-one:`))
    const two = await httpOptionsFromEnv(env(`${run}-two:`))
    const storeOne = one.throttle ? one.throttle.store : undefined
    const storeTwo = two.throttle ? two.throttle.store : undefined
    if (!storeOne || !storeTwo) throw new Error('expected Redis throttle stores')
    // the clients connect lazily on their first command; give them a moment
    for (let i = 0; i < 50 && (await redis.exists(`${run}-one:throttle:key:9`)) === 0; i++) {
      await storeOne.take('key:9', limit)
      await new Promise((r) => setTimeout(r, 20))
    }
    while ((await storeOne.take('key:9', limit)).allowed);
    expect((await storeOne.take('key:9', limit)).allowed).toBe(false)
    let fromTwo = await storeTwo.take('key:9', limit)
    for (let i = 0; i < 50 && (await redis.exists(`${run}-two:throttle:key:9`)) === 0; i++) {
      await new Promise((r) => setTimeout(r, 20))
      fromTwo = await storeTwo.take('key:9', limit)
    }
    expect(fromTwo.allowed).toBe(true)
    expect(await redis.exists(`${run}-two:throttle:key:9`)).toBe(1)
    // and the count cache of each deployment is under its prefix
    expect(one.countCache).toBeDefined()
    await (one.countCache as { set(k: string, v: unknown): Promise<void> }).set('probe', { version: '1', count: 1, estimated: false })
    expect(await redis.exists(`${run}-one:count:probe`)).toBe(1)
  })
})
