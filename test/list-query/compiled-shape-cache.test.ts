import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ClaimRecord } from '../../src/claims/core/database.js'
import { applyFilters } from '../../src/list-query/apply-filters.js'
import { CompiledShapeCache, type ListInputs } from '../../src/list-query/compiled-shape-cache.js'
import { claimsListSpec } from '../../src/claims/lists/claims-list-spec.js'
import { listClaims } from '../../src/claims/lists/list-claims.js'
import type { ClaimsTenantScope } from '../../src/claims/index.js'
import { createTestDatabase, type TestDatabase } from '../support/test-database.js'
import { withAbortGuard } from '../../src/transactions/internal.js'
import { RequestAbortedError } from '../../src/errors/index.js'
import { claim, insertClaims, newTenant } from './support/claims-fixture.js'

let upstream: TestDatabase
let tenant: ClaimsTenantScope
let rows: ClaimRecord[]

beforeAll(async () => {
  upstream = await createTestDatabase()
  tenant = await newTenant(upstream)
  rows = (await insertClaims(tenant, Array.from({ length: 40 }, (_, i) => claim(i)))).claims
})
afterAll(async () => upstream?.destroy())

const inputsOf = (params: Record<string, string | string[]>, numbers: number[] = [51, 0]): ListInputs => ({
  filters: claimsListSpec.parse(params).filters,
  cursor: [],
  numbers,
})
const build = (i: ListInputs) =>
  claimsListSpec.query(upstream.db).$call(applyFilters(i.filters)).orderBy('id').limit(i.numbers[0]!).offset(i.numbers[1]!).compile()

describe('compiled statements per query shape', () => {
  it('builds a shape once and binds each request its own values, the same SQL and parameters as a fresh build', () => {
    const cache = new CompiledShapeCache()
    const cases = [
      inputsOf({ status: 'paid', min_amount: '10.50' }),
      inputsOf({ status: 'denied', min_amount: '99' }, [11, 20]),
      inputsOf({ status: 'adjusted', min_amount: '0.01' }, [3, 0]),
    ]
    for (const inputs of cases) {
      const cached = cache.compile(upstream.db, 'k', inputs, build)
      const fresh = build(inputs)
      expect(cached.sql).toBe(fresh.sql)
      expect(cached.parameters).toEqual(fresh.parameters)
    }
    expect(cache.builds).toBe(1) // the probe; later requests only bind
  })

  it('tells shapes apart: value counts, isnull true/false, the key', () => {
    const cache = new CompiledShapeCache()
    const shapes = [
      inputsOf({ status: 'paid' }),
      inputsOf({ upload__in: '1,2' }),
      inputsOf({ upload__in: '1,2,3' }),
      inputsOf({ paid_amount__isnull: 'true' }),
      inputsOf({ paid_amount__isnull: 'false' }),
    ]
    for (const inputs of shapes) {
      const cached = cache.compile(upstream.db, 'k', inputs, build)
      expect(cached.sql).toBe(build(inputs).sql)
      expect(cached.parameters).toEqual(build(inputs).parameters)
    }
    expect(cache.builds).toBe(shapes.length)
    cache.compile(upstream.db, 'other key', shapes[0]!, build)
    expect(cache.builds).toBe(shapes.length + 1)
  })

  it('does not cache values rewritten into a parameter (icontains patterns): built every time', () => {
    const cache = new CompiledShapeCache()
    for (const v of ['50%', 'x_y']) {
      const inputs = inputsOf({ denial_reason__icontains: v })
      const cached = cache.compile(upstream.db, 'k', inputs, build)
      expect(cached.parameters).toEqual(build(inputs).parameters)
    }
    expect(cache.builds).toBe(2)
  })

  it('listClaims answers each tenant request from its own values with the statement cache on', async () => {
    for (const status of ['paid', 'denied'] as const) {
      for (const min of ['0', '500']) {
        const page = await listClaims(tenant, { status, min_amount: min, ordering: 'billed_amount', page_size: '5' }, { url: '/claims/' })
        const want = rows
          .filter((r) => r.status === status && Number(r.billed_amount) >= Number(min))
          .sort((a, b) => Number(a.billed_amount) - Number(b.billed_amount) || a.id - b.id)
          .slice(0, 5)
        expect(page.results.map((r) => r.id)).toEqual(want.map((r) => r.id))
      }
    }
  })
})

describe('compiled statements under a request abort guard (issue 12)', () => {
  // every request with a signal wraps its connection in a plugin of its own: a cache keyed by
  // every plugin missed on each request (a Kysely compile per statement per request)
  const guarded = <T>(signal: AbortSignal, work: (db: typeof upstream.db) => T): Promise<T> =>
    withAbortGuard(signal, async (guard) => work(guard!.wrap(upstream.db)))

  it('two requests, each with its own guard, share one compiled shape', async () => {
    const cache = new CompiledShapeCache()
    for (const status of ['paid', 'denied']) {
      const inputs = inputsOf({ status })
      const cached = await guarded(new AbortController().signal, (db) => cache.compile(db, 'k', inputs, build))
      expect(cached.sql).toBe(build(inputs).sql)
      expect(cached.parameters).toEqual(build(inputs).parameters)
    }
    expect(cache.builds).toBe(1)
  })

  it('a hit still refuses a statement once the request is aborted, as the compile did', async () => {
    const cache = new CompiledShapeCache()
    await guarded(new AbortController().signal, (db) => cache.compile(db, 'k', inputsOf({ status: 'paid' }), build))
    const controller = new AbortController()
    await expect(
      guarded(controller.signal, (db) => {
        controller.abort(new Error('client gone'))
        return cache.compile(db, 'k', inputsOf({ status: 'denied' }), build)
      }),
    ).rejects.toBeInstanceOf(RequestAbortedError)
    expect(cache.builds).toBe(1)
  })

  it('a plugin that changes the SQL (another schema) still gets a statement of its own', () => {
    const cache = new CompiledShapeCache()
    const inputs = inputsOf({ status: 'paid' })
    const here = cache.compile(upstream.db, 'k', inputs, build)
    const elsewhere = upstream.db.withSchema('elsewhere')
    const there = cache.compile(elsewhere, 'k', inputs, (i) => claimsListSpec.query(elsewhere).$call(applyFilters(i.filters)).orderBy('id').limit(i.numbers[0]!).offset(i.numbers[1]!).compile())
    expect(there.sql).toContain('"elsewhere"')
    expect(there.sql).not.toBe(here.sql)
  })
})
