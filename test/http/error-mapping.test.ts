import type { ClaimsDatabase } from '../../src/claims/index.js'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDatabase } from '../../src/db/create-database.js'
import { DeadlockError, SerializationFailureError } from '../../src/errors/database-errors.js'
import { ValidationError } from '../../src/errors/validation-error.js'
import { createClaimsHttpHandler, type HttpHandler } from '../support/upstream.js'
import type { ClaimsServices } from '../../src/claims/http/claims-services.js'
import { IngestionFailedError } from '../../src/claims/ingestion/ingestion-failed-error.js'
import { PayloadTooLargeError } from '../../src/claims/ingestion/payload-too-large-error.js'
import { InvalidPageError } from '../../src/list-query/invalid-page-error.js'
import { claimsTenant } from '../../src/claims/index.js'
import { createTestDatabase, testDatabaseUrl, type TestDatabase } from '../support/test-database.js'
import { callHandler } from './call-handler.js'
import { createHttpFixture, type FixtureTenant } from './http-fixture.js'

let upstream: TestDatabase
let a: FixtureTenant
const logged: { fields: object; message?: string }[] = []
const logger = { error: (fields: object, message?: string) => logged.push({ fields, message }), warn: () => {} }

beforeAll(async () => {
  upstream = await createTestDatabase()
  ;({ a } = await createHttpFixture(upstream))
})
afterAll(async () => upstream?.destroy())

/** A handler whose statistics operation runs `work` (GET /uploads/statistics/). */
function failingWith(work: ClaimsServices['uploadStatistics']): HttpHandler {
  return createClaimsHttpHandler({ upstream, logger, services: { uploadStatistics: work } })
}
const statistics = (handle: HttpHandler) => callHandler(handle, { path: '/api/v1/uploads/statistics/', token: a.token })
const LEAKS = /select|from |sqlstate|22012|23505|57014|55P03|division|constraint|claim_records|stack|\.ts:/i

describe('error mapping (one place, CONTRACT section 2)', () => {
  it('answers 500 with a fixed body for an unexpected database error, and logs it', async () => {
    logged.length = 0
    const handle = failingWith((tenant) => tenant.read(({ db }) => sql`select 1/0`.execute(db)) as never)
    const r = await statistics(handle)
    expect(r.status).toBe(500)
    expect(r.json).toEqual({ detail: 'A server error occurred.' })
    expect(JSON.stringify(r.body)).not.toMatch(LEAKS)
    expect(logged).toHaveLength(1)
    expect(String((logged[0]!.fields as { err: Error }).err.message)).toMatch(/division by zero/)
  })

  it('answers 500 without the message of a plain Error', async () => {
    const r = await statistics(failingWith(async () => { throw new Error('secret: select * from claim_records') }))
    expect(r.status).toBe(500)
    expect(JSON.stringify(r.body)).not.toMatch(LEAKS)
  })

  it('answers 409 to a unique violation (real), without the constraint name', async () => {
    const handle = failingWith((tenant) =>
      tenant.transaction(async ({ claims }) => {
        const row = { upload_id: a.upload.id, claim_number: 'a-1', payer_name: 'X', cpt_code: '1', service_date: '2026-01-01', billed_amount: 1, status: 'paid' as const }
        await claims.insertMany([row])
        return { total_uploads: 0 }
      }),
    )
    const r = await statistics(handle)
    expect(r.status).toBe(409)
    expect(r.json).toEqual({ detail: 'A resource with the same key already exists.' })
    expect(JSON.stringify(r.body)).not.toMatch(LEAKS)
  })

  it('answers 409 when a row lock is not available (real NOWAIT)', async () => {
    let release!: () => void
    let locked!: () => void
    const isLocked = new Promise<void>((resolve) => (locked = resolve))
    const holder = claimsTenant(upstream, a.customerId).transaction(async ({ uploads }) => {
      await uploads.forUpdate(a.upload.id)
      locked()
      await new Promise<void>((resolve) => (release = resolve))
    })
    await isLocked
    try {
      const handle = failingWith((tenant) =>
        tenant.transaction(async ({ uploads }) => {
          await uploads.forUpdate(a.upload.id, { nowait: true })
          return { total_uploads: 0 }
        }),
      )
      const r = await statistics(handle)
      expect(r.status).toBe(409)
      expect(r.json).toEqual({ detail: 'The resource is being changed by another request. Try again.' })
    } finally {
      release()
      await holder
    }
  })

  it('answers 503 to a statement timeout (real)', async () => {
    const handle = failingWith((tenant) => tenant.read(({ db }) => sql`select pg_sleep(2)`.execute(db), { statementTimeoutMs: 50 }) as never)
    const r = await statistics(handle)
    expect(r.status).toBe(503)
    expect(r.json).toEqual({ detail: 'Service temporarily unavailable, try again later.' })
  })

  it('answers 503 when the database is unreachable (real refused connection)', async () => {
    const url = new URL(testDatabaseUrl())
    url.port = '1'
    const down = await createDatabase<ClaimsDatabase>({ connectionString: url.href, pool: { connectionTimeoutMillis: 2000 } })
    try {
      const handle = createClaimsHttpHandler({ upstream: down, logger })
      const r = await callHandler(handle, { path: '/api/v1/claims/1/', token: a.token })
      expect(r.status).toBe(503)
      expect(r.json).toEqual({ detail: 'Service temporarily unavailable, try again later.' })
      expect(JSON.stringify(r.body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/)
    } finally {
      await down.destroy()
    }
  })

  it.each([
    ['serialization failure', () => new SerializationFailureError({ code: '40001' }, 5)],
    ['deadlock', () => new DeadlockError({ code: '40P01' }, 5)],
  ])('answers 503 to retries exhausted (%s)', async (_name, error) => {
    const r = await statistics(failingWith(async () => { throw error() }))
    expect(r.status).toBe(503)
  })

  it('answers 400 with the fields of a ValidationError', async () => {
    const r = await statistics(failingWith(async () => { throw new ValidationError({ start_date: ['Date has wrong format.'] }) }))
    expect(r.status).toBe(400)
    expect(r.json).toEqual({ start_date: ['Date has wrong format.'] })
  })

  it('answers 404 "Invalid page." to the list services\' page error', async () => {
    const r = await statistics(failingWith(async () => { throw new InvalidPageError(7) }))
    expect(r.status).toBe(404)
    expect(r.json).toEqual({ detail: 'Invalid page.' })
  })

  it('answers 422 with the failed upload and its row errors', async () => {
    const failed = { ...a.upload, status: 'failed' as const, error_message: 'The upload has 1 invalid row(s); nothing was loaded.' }
    const r = await statistics(failingWith(async () => { throw new IngestionFailedError(failed, [{ line: 2, column: 'service_date', message: 'Invalid date.' }]) }))
    expect(r.status).toBe(422)
    expect(r.json).toMatchObject({
      detail: 'The upload has 1 invalid row(s); nothing was loaded.',
      upload: { id: a.upload.id, status: 'failed', uploaded_at: '2026-03-01T10:00:00.000Z' },
      errors: [{ line: 2, column: 'service_date', message: 'Invalid date.' }],
    })
  })

  it('answers 413 to the ingestion size limit', async () => {
    const r = await statistics(failingWith(async () => { throw new PayloadTooLargeError(10) }))
    expect(r.status).toBe(413)
    expect(r.json).toEqual({ detail: 'The upload is larger than 10 bytes.' })
  })
})
