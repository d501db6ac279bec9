import { describe, expectTypeOf, it } from 'vitest'
import type { Claim, DriftReportDetail, UpstreamClient } from '../../examples/client/upstream-client.js'

declare const client: UpstreamClient

describe('the generated types reject what the API would refuse', () => {
  it('checks list filters, their values and the ordering fields', () => {
    void client.GET('/api/v1/claims/', { params: { query: { status: ['paid', 'denied'], min_amount: ['10.00'], ordering: ['-billed_amount'], page: 2 } } })
    // @ts-expect-error a misspelled filter
    void client.GET('/api/v1/claims/', { params: { query: { statuss: ['paid'] } } })
    // @ts-expect-error a misspelled filter beside correct ones (openapi-fetch's own signature lets this one through)
    void client.GET('/api/v1/claims/', { params: { query: { page: 2, status: ['paid'], payer_nme: ['Aetna'] } } })
    // @ts-expect-error a status that does not exist
    void client.GET('/api/v1/claims/', { params: { query: { status: ['approved'] } } })
    // @ts-expect-error an ordering field the list does not offer
    void client.GET('/api/v1/claims/', { params: { query: { ordering: ['-amount'] } } })
    // @ts-expect-error an upload id is a number
    void client.GET('/api/v1/claims/', { params: { query: { upload: ['12'] } } })
    // @ts-expect-error a filter of another list (drift events have `severity`, claims do not)
    void client.GET('/api/v1/claims/', { params: { query: { severity: ['high'] } } })
  })

  it('checks paths and path parameters', () => {
    void client.GET('/api/v1/claims/{id}/', { params: { path: { id: 12 } } })
    // @ts-expect-error a path the API does not have
    void client.GET('/api/v1/claim/')
    // @ts-expect-error the id is missing
    void client.GET('/api/v1/claims/{id}/', { params: { path: {} } })
    // @ts-expect-error POST is not an operation of /claims/
    void client.POST('/api/v1/claims/', { body: {} })
  })

  it('checks request bodies', () => {
    void client.POST('/api/v1/drift/reports/', { body: { as_of: '2026-06-01', group_by: 'payer_cpt', min_claims: 10, force: true } })
    // @ts-expect-error group_by is payer or payer_cpt
    void client.POST('/api/v1/drift/reports/', { body: { group_by: 'region' } })
    // @ts-expect-error min_claims is a number
    void client.POST('/api/v1/drift/reports/', { body: { min_claims: '30' } })
    // @ts-expect-error a misspelled body field
    void client.POST('/api/v1/drift/reports/', { body: { baseline_dayz: 60 } })
    // @ts-expect-error a misspelled body field beside correct ones
    void client.POST('/api/v1/drift/reports/', { body: { as_of: '2026-06-01', forse: true } })
    // @ts-expect-error the upload needs its filename
    void client.POST('/api/v1/uploads/', { params: { query: {} }, body: 'claim_number,...' })
  })

  it("shows why the wrapper exists: openapi-fetch's own client lets a misspelled key through", () => {
    // no error here: the raw client infers the init, so extra keys beside valid ones pass
    void client.raw.GET('/api/v1/claims/', { params: { query: { page: 2, payer_nme: ['Aetna'] } } })
  })

  it('types the answers', async () => {
    const one = await client.GET('/api/v1/claims/{id}/', { params: { path: { id: 1 } } })
    expectTypeOf(one.data).toEqualTypeOf<Claim | undefined>()
    expectTypeOf<NonNullable<typeof one.data>['billed_amount']>().toEqualTypeOf<string>()
    expectTypeOf<NonNullable<typeof one.data>['status']>().toEqualTypeOf<'submitted' | 'paid' | 'denied' | 'adjusted'>()
    const run = await client.POST('/api/v1/drift/reports/', { body: {} })
    expectTypeOf(run.data).toEqualTypeOf<DriftReportDetail | undefined>()
    const page = await client.GET('/api/v1/uploads/', {})
    expectTypeOf(page.data?.results[0]?.status).toEqualTypeOf<'pending' | 'processing' | 'success' | 'failed' | undefined>()
  })
})
