import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LockNotAvailableError } from '../../src/errors/database-errors.js'
import { ValidationError } from '../../src/errors/validation-error.js'
import { createCustomer } from '../../src/tenancy/create-customer.js'
import { claimsTenant, type ClaimsTenantScope } from '../../src/claims/index.js'
import { createTestDatabase, type TestDatabase } from '../support/test-database.js'
import { deferred } from './barrier.js'

let upstream: TestDatabase
let tenant: ClaimsTenantScope
let uploadId: number

beforeAll(async () => {
  upstream = await createTestDatabase()
  tenant = claimsTenant(upstream, (await createCustomer(upstream, 'Nowait')).id)
  uploadId = (await tenant.transaction(({ uploads }) => uploads.create({ filename: 'locked.csv' }))).id
})
afterAll(async () => upstream?.destroy())

/** Holds `FOR UPDATE` on the upload in an open transaction until `release()`. */
async function holdLock(): Promise<{ release(): Promise<void> }> {
  const locked = deferred()
  const done = deferred()
  const holder = tenant.transaction(async ({ uploads }) => {
    await uploads.forUpdate(uploadId)
    locked.resolve()
    await done.promise
  })
  await locked.promise
  return {
    async release() {
      done.resolve()
      await holder
    },
  }
}

describe('row-lock options', () => {
  it('nowait on a locked row fails at once with LockNotAvailableError', async () => {
    const lock = await holdLock()
    try {
      const started = performance.now()
      const error = await tenant
        .transaction(({ uploads }) => uploads.forUpdate(uploadId, { nowait: true }), { lockTimeoutMs: 5000 })
        .catch((e: unknown) => e)
      const elapsed = performance.now() - started
      expect(error).toBeInstanceOf(LockNotAvailableError)
      expect((error as LockNotAvailableError).sqlState).toBe('55P03')
      expect(elapsed).toBeLessThan(1000) // it did not wait for the 5 s lock_timeout
    } finally {
      await lock.release()
    }
  })

  it('skipLocked reads a locked row as missing', async () => {
    const lock = await holdLock()
    try {
      expect(await tenant.transaction(({ uploads }) => uploads.forUpdate(uploadId, { skipLocked: true }))).toBeUndefined()
    } finally {
      await lock.release()
    }
    expect(await tenant.transaction(({ uploads }) => uploads.forUpdate(uploadId, { skipLocked: true }))).toMatchObject({ id: uploadId })
  })

  it('a plain forUpdate waits, then gives up at lock_timeout with LockNotAvailableError', async () => {
    const lock = await holdLock()
    try {
      const started = performance.now()
      const error = await tenant.transaction(({ uploads }) => uploads.forUpdate(uploadId), { lockTimeoutMs: 300 }).catch((e: unknown) => e)
      const elapsed = performance.now() - started
      expect(error).toBeInstanceOf(LockNotAvailableError)
      expect(elapsed).toBeGreaterThanOrEqual(250)
      expect(elapsed).toBeLessThan(3000)
    } finally {
      await lock.release()
    }
  })

  it('refuses nowait together with skipLocked', async () => {
    await expect(tenant.transaction(({ uploads }) => uploads.forUpdate(uploadId, { nowait: true, skipLocked: true }))).rejects.toBeInstanceOf(
      ValidationError,
    )
  })
})
