import { describe, expect, it } from 'vitest'
import { replicasFromEnv } from '../../examples/shared/replicas-from-env.js'

describe('DATABASE_REPLICA_URLS in the examples', () => {
  it('is split on commas, blanks dropped; absent or empty means no replicas', async () => {
    const { options } = await replicasFromEnv({ DATABASE_REPLICA_URLS: ' postgres://r1/app, ,postgres://r2/app,' })
    expect(options.replicas).toEqual(['postgres://r1/app', 'postgres://r2/app'])
    expect(options.replicaRouting?.lsnStore).toBeUndefined()
    expect((await replicasFromEnv({})).options).toEqual({})
    expect((await replicasFromEnv({ DATABASE_REPLICA_URLS: '' })).options).toEqual({})
  })

  it('with REDIS_URL, write positions are shared in Redis', async () => {
    const { options, close } = await replicasFromEnv({ DATABASE_REPLICA_URLS: 'postgres://r1/app', REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' })
    try {
      expect(options.replicaRouting?.lsnStore).toBeDefined()
    } finally {
      await close()
    }
  })
})
