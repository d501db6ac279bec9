import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCustomer, claimsTenant, type ClaimsTenantScope } from '../support/upstream.js'
import { parseUploadStatisticsQuery, uploadStatistics, uploadStatisticsQuerySchema, ValidationError } from '../support/upstream.js'
import { createTestDatabase, type TestDatabase } from '../support/test-database.js'

let upstream: TestDatabase
let tenant: ClaimsTenantScope
let empty: ClaimsTenantScope

beforeAll(async () => {
  upstream = await createTestDatabase()
  const a = (await createCustomer(upstream, 'Stats A')).id
  const b = (await createCustomer(upstream, 'Stats B')).id
  tenant = claimsTenant(upstream, a)
  empty = claimsTenant(upstream, (await createCustomer(upstream, 'Stats empty')).id)
  const at = (iso: string, seconds?: number) => ({
    uploaded_at: iso,
    processing_started_at: seconds === undefined ? null : iso,
    processing_completed_at: seconds === undefined ? null : new Date(Date.parse(iso) + seconds * 1000).toISOString(),
  })
  // As the superuser (RLS bypassed), with known timestamps.
  await upstream.db
    .insertInto('uploads')
    .values([
      { customer_id: a, filename: 'a', status: 'success', row_count: 1, ...at('2024-01-01T00:00:00Z', 2) },
      { customer_id: a, filename: 'b', status: 'failed', ...at('2024-01-01T23:59:59.999Z', 4) },
      { customer_id: a, filename: 'c', status: 'success', row_count: 1, ...at('2024-01-02T00:00:00Z', 9) },
      { customer_id: a, filename: 'd', status: 'pending', ...at('2024-01-15T12:00:00Z') },
      { customer_id: a, filename: 'e', status: 'failed', ...at('2023-12-31T23:59:59.999Z', 100) },
      { customer_id: b, filename: 'other tenant', status: 'success', row_count: 1, ...at('2024-01-01T12:00:00Z', 1000) },
    ])
    .execute()
})
afterAll(async () => upstream?.destroy())

describe('uploadStatistics', () => {
  it('counts per status and averages processing seconds over uploads with both timestamps', async () => {
    expect(await uploadStatistics(tenant, {})).toEqual({ total_uploads: 5, success_count: 2, failed_count: 2, avg_processing_time: (2 + 4 + 9 + 100) / 4 })
  })

  it('filters by the UTC date of uploaded_at, both bounds inclusive', async () => {
    expect(await uploadStatistics(tenant, { start_date: '2024-01-01', end_date: '2024-01-01' })).toEqual({ total_uploads: 2, success_count: 1, failed_count: 1, avg_processing_time: 3 })
    expect(await uploadStatistics(tenant, new URLSearchParams('start_date=2024-01-02'))).toEqual({ total_uploads: 2, success_count: 1, failed_count: 0, avg_processing_time: 9 })
    expect(await uploadStatistics(tenant, { end_date: '2023-12-31' })).toEqual({ total_uploads: 1, success_count: 0, failed_count: 1, avg_processing_time: 100 })
    expect(await uploadStatistics(tenant, { start_date: '2024-01-15', end_date: '2024-01-15' })).toEqual({ total_uploads: 1, success_count: 0, failed_count: 0, avg_processing_time: null })
    expect(await uploadStatistics(tenant, new URLSearchParams('start_date=&end_date='))).toMatchObject({ total_uploads: 5 })
  })

  it('is zero with a null average for a tenant without uploads', async () => {
    expect(await uploadStatistics(empty)).toEqual({ total_uploads: 0, success_count: 0, failed_count: 0, avg_processing_time: null })
  })

  it('refuses malformed dates per parameter', async () => {
    const error = await uploadStatistics(tenant, new URLSearchParams('start_date=2024-02-30&end_date=2024-1-5')).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ValidationError)
    expect((error as ValidationError).fields).toEqual({
      start_date: ['Date has wrong format. Use one of these formats instead: YYYY-MM-DD.'],
      end_date: ['Date has wrong format. Use one of these formats instead: YYYY-MM-DD.'],
    })
    for (const bad of ['2024-13-01', '2023-02-29', '0000-01-01', '2024-01-01T00:00', ' 2024-01-01', '20240101']) {
      expect(() => parseUploadStatisticsQuery({ end_date: bad }), bad).toThrow(ValidationError)
    }
    expect(() => parseUploadStatisticsQuery(new URLSearchParams('start_date=2024-01-01&start_date=2024-01-02'))).toThrow(ValidationError)
    expect(parseUploadStatisticsQuery({ start_date: '2024-02-29', other: 'ignored' })).toEqual({ start_date: '2024-02-29' })
    expect(uploadStatisticsQuerySchema.safeParse({ start_date: '2024-02-29' }).success).toBe(true)
  })
})
