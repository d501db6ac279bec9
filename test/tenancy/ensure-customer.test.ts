import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCustomer, ensureCustomer, UniqueViolationError } from '../support/upstream.js'
import { createTestDatabase, type TestDatabase } from '../support/test-database.js'

let upstream: TestDatabase
beforeAll(async () => {
  upstream = await createTestDatabase()
})
afterAll(async () => upstream?.destroy())

describe('ensureCustomer', () => {
  it('returns the same row on every call, even many at once, where createCustomer refuses a second', async () => {
    const first = await ensureCustomer(upstream, 'Acme Health')
    const again = await Promise.all(Array.from({ length: 8 }, () => ensureCustomer(upstream, 'Acme Health')))
    expect(again.map((c) => c.id)).toEqual(Array(8).fill(first.id))
    await expect(createCustomer(upstream, 'Acme Health')).rejects.toBeInstanceOf(UniqueViolationError)
    const other = await ensureCustomer(upstream, 'Globex')
    expect(other.id).not.toBe(first.id)
  })
})
