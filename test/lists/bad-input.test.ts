import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ValidationError } from '../../src/errors/validation-error.js'
import { InvalidPageError } from '../../src/list-query/invalid-page-error.js'
import { claimsListSpec, driftEventsListSpec, listClaims, listDriftEvents, listUploads, uploadsListSpec } from '../../src/claims/lists/index.js'
import type { ClaimsTenantScope } from '../../src/claims/index.js'
import { createTestDatabase, type TestDatabase } from '../support/test-database.js'
import { claim, insertClaims, newTenant } from '../list-query/support/claims-fixture.js'

let upstream: TestDatabase
let tenant: ClaimsTenantScope
beforeAll(async () => {
  upstream = await createTestDatabase()
  tenant = await newTenant(upstream)
  await insertClaims(tenant, Array.from({ length: 12 }, (_, i) => claim(i, { payer_name: 'Plain Payer' })))
})
afterAll(async () => upstream?.destroy())

const GARBAGE = [
  "'; drop table claim_records; --",
  '1 or 1=1',
  '%',
  '_',
  '\\',
  '%_%\\',
  '\u0000',
  'a\u0000b',
  'Ωμέγα 中文 😀 \u202e',
  '\ud800',
  'x'.repeat(10_000),
  '-1',
  '-99999999999999999999999999',
  '99999999999999999999999999',
  '1e308',
  '2025-02-30',
  '2025-02-29T25:61',
  'NaN',
  '   ',
  ',,,',
  '0',
  'last',
]

/** Runs a list with one parameter set to garbage: the answer is a page or a typed 400/404, never a database error. */
async function outcome(run: () => Promise<unknown>): Promise<'ok' | '400' | '404'> {
  try {
    await run()
    return 'ok'
  } catch (e) {
    if (e instanceof InvalidPageError) return '404'
    if (e instanceof ValidationError) {
      for (const [k, messages] of Object.entries(e.fields)) {
        expect(k).not.toBe('')
        expect(messages.length).toBeGreaterThan(0)
        for (const m of messages) expect(m).not.toMatch(/sql|syntax|relation|postgres|sqlstate/i)
      }
      return '400'
    }
    throw e
  }
}

describe('bad input answers 400 with a message, never a database error', () => {
  const lists = [
    { spec: claimsListSpec, run: (p: Record<string, string>) => listClaims(tenant, p, { url: 'https://x.test/api/v1/claims/' }) },
    { spec: uploadsListSpec, run: (p: Record<string, string>) => listUploads(tenant, p, { url: 'https://x.test/api/v1/uploads/' }) },
    { spec: driftEventsListSpec, run: (p: Record<string, string>) => listDriftEvents(tenant, p, { url: 'https://x.test/api/v1/drift/events/' }) },
  ]
  for (const { spec, run } of lists) {
    it(`${spec.name}: every parameter x every garbage value`, async () => {
      const names = spec.description.parameters.map((p) => p.name)
      for (const name of names) {
        for (const value of GARBAGE) {
          const result = await outcome(() => run({ [name]: value }))
          expect(['ok', '400', '404'], `${name}=${JSON.stringify(value.slice(0, 30))}`).toContain(result)
        }
      }
    })
  }
  it('typed parameters refuse garbage with 400', async () => {
    const must400: Record<string, string[]> = {
      min_amount: ["1; drop table x", '%', '-99999999999999999999999999', '1e308', 'NaN', '1.001'],
      service_date: ['2025-02-30', "2025-01-01' or '1'='1", '%'],
      upload: ['_', '99999999999999999999999999', '1.5'],
      status: ['%', 'PAID', "paid' --"],
      page: ['0', '-1', 'abc', '%'],
      page_size: ['abc', '0', '-1'],
      ordering: ['%', 'id', '-', 'service_date desc'],
      payer_name: ['\u0000', 'x'.repeat(10_000)],
      search: ['\u0000', 'x'.repeat(10_000)],
    }
    for (const [name, values] of Object.entries(must400)) {
      for (const value of values) {
        const e = await listClaims(tenant, { [name]: value }, { url: 'https://x.test/' }).catch((x: unknown) => x)
        expect(e, `${name}=${value.slice(0, 30)}`).toBeInstanceOf(ValidationError)
        expect(Object.keys((e as ValidationError).fields)).toEqual([name])
      }
    }
  })
  it('wildcards and SQL in text are matched literally', async () => {
    await insertClaims(tenant, [claim(500, { payer_name: "O'Brien 100%_sure \\ co" })])
    for (const search of ['%', '_', '100%_', "o'brien", '\\', "' or 1=1 --"]) {
      const page = await listClaims(tenant, { search }, { url: 'https://x.test/' })
      const expected = search === "' or 1=1 --" ? 0 : 1
      expect(page.results.length, search).toBe(expected)
    }
  })
  it('random strings in random parameters never reach the database as an error', async () => {
    const names = claimsListSpec.description.parameters.map((p) => p.name)
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...names), fc.string({ unit: 'binary', maxLength: 40 }), async (name, value) => {
        const r = await outcome(() => listClaims(tenant, { [name]: value }, { url: 'https://x.test/' }))
        expect(['ok', '400', '404']).toContain(r)
      }),
      { numRuns: 150 },
    )
  })
})
