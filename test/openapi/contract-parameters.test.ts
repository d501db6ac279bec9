import { describe, expect, it } from 'vitest'
import { CLAIM_STATUSES, DRIFT_METRICS, DRIFT_SEVERITIES, UPLOAD_STATUSES } from '../../src/claims/core/database.js'
import { claimsOpenApiDocument } from '../support/upstream.js'

type Schema = {
  type?: string | string[]
  enum?: unknown[]
  format?: string
  pattern?: string
  items?: Schema
  anyOf?: Schema[]
  oneOf?: Schema[]
}
type Parameter = { name: string; in: string; required?: boolean; style?: string; explode?: boolean; schema: Schema }

const doc = claimsOpenApiDocument()
const parameters = (method: string, path: string): Parameter[] =>
  ((doc.paths?.[`/api/v1${path}`] as Record<string, { parameters?: Parameter[] }> | undefined)?.[method]?.parameters ?? []) as Parameter[]
const find = (method: string, path: string, name: string, where = 'query') => parameters(method, path).find((p) => p.name === name && p.in === where)

/** What CONTRACT section 3 says of one parameter. Every filter may repeat ("a filter given twice matches any of its values"). */
type Expect =
  | { kind: 'enum'; values: readonly string[]; repeat?: boolean } // filter choices (repeatable: OR)
  | { kind: 'ordering'; fields: readonly string[] } // comma-separated terms, every field and -field
  | { kind: 'string'; repeat?: boolean }
  | { kind: 'integer'; repeat?: boolean }
  | { kind: 'date'; repeat?: boolean }
  | { kind: 'decimal'; repeat?: boolean }
  | { kind: 'page' }
  | { kind: 'page_size' }

const page = [['page', { kind: 'page' }], ['page_size', { kind: 'page_size' }]] as const

const CONTRACT: ReadonlyArray<readonly [method: string, path: string, params: ReadonlyArray<readonly [string, Expect]>]> = [
  [
    'get',
    '/uploads/',
    [
      ...page,
      ['status', { kind: 'enum', values: UPLOAD_STATUSES, repeat: true }],
      ['search', { kind: 'string' }],
      ['ordering', { kind: 'ordering', fields: ['uploaded_at', 'filename', 'row_count'] }],
    ],
  ],
  ['post', '/uploads/', [['filename', { kind: 'string' }]]],
  ['get', '/uploads/{id}/claim_records/', page],
  ['get', '/uploads/recent_with_errors/', page],
  ['get', '/uploads/statistics/', [['start_date', { kind: 'date' }], ['end_date', { kind: 'date' }]]],
  [
    'get',
    '/claims/',
    [
      ...page,
      ['cursor', { kind: 'string' }],
      ['pagination', { kind: 'enum', values: ['page-number', 'cursor'] }],
      ['search', { kind: 'string' }],
      ['status', { kind: 'enum', values: CLAIM_STATUSES, repeat: true }],
      ['payer_name', { kind: 'string', repeat: true }],
      ['cpt_code', { kind: 'string', repeat: true }],
      ['service_date', { kind: 'date', repeat: true }],
      ['upload', { kind: 'integer', repeat: true }],
      ['min_amount', { kind: 'decimal', repeat: true }],
      ['max_amount', { kind: 'decimal', repeat: true }],
      ['date_after', { kind: 'date', repeat: true }],
      ['date_before', { kind: 'date', repeat: true }],
      ['ordering', { kind: 'ordering', fields: ['service_date', 'billed_amount', 'created_at', 'claim_number'] }],
    ],
  ],
  ['get', '/drift/reports/', page],
  [
    'get',
    '/drift/events/',
    [
      ...page,
      ['report', { kind: 'integer', repeat: true }],
      ['payer_name', { kind: 'string', repeat: true }],
      ['metric', { kind: 'enum', values: DRIFT_METRICS, repeat: true }],
      ['severity', { kind: 'enum', values: DRIFT_SEVERITIES, repeat: true }],
      ['ordering', { kind: 'ordering', fields: ['created_at', 'p_value', 'delta'] }],
    ],
  ],
]

const typeOf = (s: Schema) => (Array.isArray(s.type) ? s.type.filter((t) => t !== 'null') : [s.type])

/** The schema of one value, after checking the array form a repeatable or comma-separated parameter takes. */
function oneValue(p: Parameter, repeat: 'explode' | 'comma' | 'no'): Schema {
  if (repeat === 'no') {
    expect(typeOf(p.schema), `${p.name} is a single value`).not.toContain('array')
    return p.schema
  }
  expect(p.schema.type, `${p.name} is documented as an array`).toBe('array')
  expect(p.style, `${p.name} style`).toBe('form')
  expect(p.explode, `${p.name} explode`).toBe(repeat === 'explode')
  return p.schema.items as Schema
}

describe('every parameter of CONTRACT section 3 is in the document with the right type', () => {
  const rows = CONTRACT.flatMap(([method, path, params]) => params.map(([name, e]) => [method, path, name, e] as const))

  it.each(rows)('%s %s ?%s', (method, path, name, e) => {
    const p = find(method, path, name)
    expect(p, `${method} ${path} documents ?${name}`).toBeDefined()
    if (!p) return
    expect(p.in).toBe('query')
    expect(p.required, `?${name} is optional`).toBe(method === 'post' && name === 'filename')
    switch (e.kind) {
      case 'enum': {
        const v = oneValue(p, e.repeat ? 'explode' : 'no')
        expect(typeOf(v)).toEqual(['string'])
        expect([...(v.enum ?? [])].sort()).toEqual([...e.values].sort())
        break
      }
      case 'ordering': {
        const v = oneValue(p, 'comma')
        expect([...(v.enum ?? [])].sort()).toEqual(e.fields.flatMap((f) => [f, `-${f}`]).sort())
        break
      }
      case 'string':
        expect(typeOf(oneValue(p, e.repeat ? 'explode' : 'no'))).toEqual(['string'])
        break
      case 'integer':
        expect(typeOf(oneValue(p, e.repeat ? 'explode' : 'no'))).toEqual(['integer'])
        break
      case 'date': {
        const v = oneValue(p, e.repeat ? 'explode' : 'no')
        expect(typeOf(v)).toEqual(['string'])
        expect(v.format).toBe('date')
        break
      }
      case 'decimal': {
        const v = oneValue(p, e.repeat ? 'explode' : 'no')
        expect(typeOf(v)).toEqual(['string'])
        const re = new RegExp(v.pattern ?? '(?!)')
        for (const ok of ['0', '12', '1234.5', '1234.50', '9999999999.99']) expect(re.test(ok), `${name} accepts ${ok}`).toBe(true)
        for (const bad of ['1.234', 'abc', '1e3', '', '12345678901.00']) expect(re.test(bad), `${name} refuses ${bad}`).toBe(false)
        break
      }
      case 'page': {
        const v = oneValue(p, 'no')
        const options = v.anyOf ?? v.oneOf ?? [v]
        expect(options.some((o) => typeOf(o).includes('integer'))).toBe(true)
        expect(options.some((o) => o.enum?.includes('last'))).toBe(true)
        break
      }
      case 'page_size':
        expect(typeOf(oneValue(p, 'no'))).toEqual(['integer'])
        break
    }
  })

  it('documents the id of every detail path as an integer path parameter', () => {
    for (const path of ['/uploads/{id}/', '/uploads/{id}/claim_records/', '/claims/{id}/', '/drift/reports/{id}/']) {
      const p = find('get', path, 'id', 'path')
      expect(p?.required, path).toBe(true)
      expect(p?.schema.type, path).toBe('integer')
    }
  })
})
