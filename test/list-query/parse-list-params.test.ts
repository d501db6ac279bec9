import { describe, expect, it } from 'vitest'
import { ValidationError } from '../../src/errors/validation-error.js'
import { claimsListSpec, uploadsListSpec } from '../../src/claims/lists/index.js'
import { parseListParams } from '../../src/list-query/parse-list-params.js'
import type { ListSpecSettings } from '../../src/list-query/list-spec.js'

function errorsOf(params: Record<string, string | string[]> | URLSearchParams): Record<string, readonly string[]> {
  try {
    claimsListSpec.parse(params)
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError)
    return (e as ValidationError).fields
  }
  throw new Error('expected a ValidationError')
}

describe('the strict parser (CONTRACT section 2)', () => {
  it('reports every problem of a request at once, per parameter, in DRF shape', () => {
    expect(errorsOf({ min_amount: 'abc', page: '0', ordering: 'foo', status: 'x' })).toEqual({
      page: ['A valid page number is required: a positive integer or "last".'],
      ordering: ['Invalid ordering field "foo". Allowed: service_date, -service_date, billed_amount, -billed_amount, created_at, -created_at, claim_number, -claim_number.'],
      status: ['Select a valid choice. "x" is not one of the available choices: submitted, paid, denied, adjusted.'],
      min_amount: ['A valid number is required.'],
    })
  })
  it('page: 1-based or last; malformed -> 400', () => {
    for (const page of ['0', '-1', 'abc', '1.5', ' 1', 'first']) expect(Object.keys(errorsOf({ page }))).toEqual(['page'])
    expect(claimsListSpec.parse({ page: 'last' }).page).toEqual({ style: 'page-number', page: 'last', pageSize: 50 })
    expect(claimsListSpec.parse({ page: '3' }).page).toEqual({ style: 'page-number', page: 3, pageSize: 50 })
  })
  it('page_size: default 50, clamped to 500, malformed -> 400', () => {
    expect(claimsListSpec.parse({}).page).toMatchObject({ pageSize: 50 })
    expect(claimsListSpec.parse({ page_size: '501' }).page).toMatchObject({ pageSize: 500 })
    expect(claimsListSpec.parse({ page_size: '99999999999999999999999' }).page).toMatchObject({ pageSize: 500 })
    for (const page_size of ['abc', '0', '-5', '2.5']) expect(Object.keys(errorsOf({ page_size }))).toEqual(['page_size'])
  })
  it('control parameters given twice -> 400; filters given twice match any', () => {
    for (const p of ['page', 'page_size', 'ordering', 'search', 'cursor']) expect(Object.keys(errorsOf(new URLSearchParams(`${p}=1&${p}=2`)))).toEqual([p])
    expect(claimsListSpec.parse(new URLSearchParams('status=paid&status=denied')).filters).toEqual([
      { param: 'status', field: 'status', column: 'status', lookup: 'exact', values: ['paid', 'denied'] },
    ])
  })
  it('empty values mean no filter; unknown parameters are ignored', () => {
    const q = claimsListSpec.parse({ status: '', min_amount: '', ordering: '', page: '', search: '', whatever: 'x' })
    expect(q.filters).toEqual([])
    expect(q.search).toEqual([])
    expect(q.ordering).toEqual([{ field: 'service_date', direction: 'desc' }])
  })
  it('amounts: exact decimals with at most two places within numeric(12,2)', () => {
    expect(claimsListSpec.parse({ min_amount: '0012.50' }).filters[0]!.values).toEqual(['12.50'])
    expect(claimsListSpec.parse({ min_amount: '9999999999.99' }).filters[0]!.values).toEqual(['9999999999.99'])
    expect(errorsOf({ min_amount: '1.005' })).toEqual({ min_amount: ['Ensure that there are no more than 2 decimal places.'] })
    expect(errorsOf({ max_amount: '10000000000' })).toEqual({ max_amount: ['Ensure that there are no more than 10 digits before the decimal point.'] })
    for (const v of ['NaN', 'Infinity', '0x10', '1,5', '--1', '1.2.3', '1e']) expect(Object.keys(errorsOf({ min_amount: v }))).toEqual(['min_amount'])
  })
  it('dates: strictly YYYY-MM-DD and real calendar dates', () => {
    expect(claimsListSpec.parse({ date_after: '2024-02-29' }).filters[0]!.values).toEqual(['2024-02-29'])
    for (const v of ['2025-02-30', '2025-02-29', '2025-13-01', '0000-01-01', '2025-1-1', '2025/01/01', '20250101', '2025-01-01T00:00']) {
      expect(Object.keys(errorsOf({ date_after: v })), v).toEqual(['date_after'])
    }
  })
  it('ordering: multi-field, -desc, unknown -> 400 naming the allowed terms', () => {
    expect(claimsListSpec.parse({ ordering: '-billed_amount,claim_number' }).ordering).toEqual([
      { field: 'billed_amount', direction: 'desc' },
      { field: 'claim_number', direction: 'asc' },
    ])
    expect(errorsOf({ ordering: 'id' }).ordering![0]).toMatch(/^Invalid ordering field "id"\. Allowed: service_date, -service_date/)
    expect(errorsOf({ ordering: 'billed_amount;drop table x' }).ordering![0]).toMatch(/Invalid ordering field/)
  })
  it('__in comma lists, range pairs, isnull booleans', () => {
    expect(claimsListSpec.parse({ status__in: 'paid,,denied' }).filters[0]!.values).toEqual(['paid', 'denied'])
    expect(errorsOf({ status__in: 'paid,bogus' }).status__in![0]).toMatch(/"bogus" is not one of/)
    expect(claimsListSpec.parse({ billed_amount__range: '1,2.50' }).filters[0]!.values).toEqual([['1', '2.50']])
    expect(errorsOf({ billed_amount__range: '1' })).toEqual({ billed_amount__range: ['A range needs two comma-separated values: low,high.'] })
    expect(claimsListSpec.parse({ paid_amount__isnull: 'True' }).filters[0]!.values).toEqual([true])
    expect(Object.keys(errorsOf({ paid_amount__isnull: 'maybe' }))).toEqual(['paid_amount__isnull'])
  })
  it('search: split on whitespace and commas', () => {
    expect(claimsListSpec.parse({ search: ' acme,,  99213\tx ' }).search).toEqual(['acme', '99213', 'x'])
  })
  it('pagination style: cursor when a cursor is given or pagination=cursor', () => {
    expect(claimsListSpec.parse({ pagination: 'cursor' }).page).toEqual({ style: 'cursor', cursor: undefined, pageSize: 50 })
    expect(claimsListSpec.parse({ cursor: 'abc.def' }).page).toMatchObject({ style: 'cursor', cursor: 'abc.def' })
    expect(Object.keys(errorsOf({ pagination: 'sideways' }))).toEqual(['pagination'])
    expect(uploadsListSpec.parse({ cursor: 'abc.def', pagination: 'cursor' }).page.style).toBe('page-number') // not offered: ignored
  })
})

describe('where the contract is silent, as DRF + django-filter do', () => {
  it('strips surrounding spaces of filter values, as Django form fields do (an all-space value is no filter)', () => {
    const q = claimsListSpec.parse({ payer_name: '  Aetna ', status: ' paid', min_amount: ' 10.50 ' })
    expect(q.filters.map((f) => [f.param, f.values])).toEqual([
      ['status', ['paid']],
      ['payer_name', ['Aetna']],
      ['min_amount', ['10.50']],
    ])
    expect(claimsListSpec.parse({ payer_name: '   ' }).filters).toEqual([])
  })
  it('accepts decimals in Python Decimal syntax (exponents), exactly, with DRF checks on digits and places', () => {
    const amount = (v: string) => claimsListSpec.parse({ min_amount: v }).filters[0]?.values[0]
    expect(amount('1e3')).toBe('1000')
    expect(amount('1.5E2')).toBe('150')
    expect(amount('25e-1')).toBe('2.5')
    expect(amount('.5')).toBe('0.5')
    expect(amount('5.')).toBe('5')
    expect(errorsOf({ min_amount: '1e-3' })).toEqual({ min_amount: ['Ensure that there are no more than 2 decimal places.'] })
    expect(errorsOf({ min_amount: '1e12' })).toEqual({ min_amount: ['Ensure that there are no more than 10 digits before the decimal point.'] })
    for (const bad of ['e3', '1e', '1e+', 'NaN', 'inf', '1e99999', '.', '--1']) expect(Object.keys(errorsOf({ min_amount: bad }))).toEqual(['min_amount'])
  })
  it('refuses limit/offset on a list paged by page number or cursor, instead of ignoring them', () => {
    expect(errorsOf({ limit: '10' })).toEqual({ limit: ['This list is not paginated by limit and offset: use page and page_size, or cursor.'] })
    expect(errorsOf({ offset: '20' })).toEqual({ offset: ['This list is not paginated by limit and offset: use page and page_size, or cursor.'] })
    expect(claimsListSpec.parse({ limit: '' }).page).toMatchObject({ style: 'page-number' })
  })
})

describe('filter parameters made once per list (issue 12)', () => {
  it('a frozen list answers from its parameters made once; hand-made settings that change are read anew', () => {
    expect(claimsListSpec.parse({ paid_amount__gte: '5' }).filters).toEqual([{ param: 'paid_amount__gte', field: 'paid_amount', column: 'paid_amount', lookup: 'gte', values: ['5'] }])
    expect(claimsListSpec.parse({ paid_amount__gte: '6' }).filters[0]?.values).toEqual(['6'])
    // settings an app put together itself, not frozen: a filter added later is honoured
    const filters: Record<string, ListSpecSettings['filters'][string]> = { status: claimsListSpec.settings.filters.status! }
    const settings: ListSpecSettings = { ...claimsListSpec.settings, filters }
    expect(parseListParams(settings, { cpt_code: '99213' }).filters).toEqual([])
    filters.cpt_code = claimsListSpec.settings.filters.cpt_code!
    expect(parseListParams(settings, { cpt_code: '99213' }).filters.map((f) => f.param)).toEqual(['cpt_code'])
  })
})
