import SwaggerParser from '@apidevtools/swagger-parser'
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { claimsOpenApiDocument, claimsOperations, openApiFragment, registerOperations } from '../support/upstream.js'
import { OpenApiResponseValidator } from './openapi-schema-validator.js'

const CONTRACT_OPERATIONS = [
  ['get', '/api/v1/uploads/'],
  ['post', '/api/v1/uploads/'],
  ['get', '/api/v1/uploads/{id}/'],
  ['get', '/api/v1/uploads/{id}/claim_records/'],
  ['get', '/api/v1/uploads/{id}/errors/'],
  ['get', '/api/v1/uploads/recent_with_errors/'],
  ['get', '/api/v1/uploads/statistics/'],
  ['get', '/api/v1/claims/'],
  ['get', '/api/v1/claims/{id}/'],
  ['post', '/api/v1/drift/reports/'],
  ['get', '/api/v1/drift/reports/'],
  ['get', '/api/v1/drift/reports/{id}/'],
  ['get', '/api/v1/drift/events/'],
] as const

type Operation = { responses: Record<string, { content?: Record<string, unknown>; headers?: Record<string, unknown> }>; security?: unknown }
const operation = (doc: ReturnType<typeof claimsOpenApiDocument>, method: string, path: string) =>
  (doc.paths?.[path] as Record<string, Operation> | undefined)?.[method]

describe('the OpenAPI document of the example servers', () => {
  const doc = claimsOpenApiDocument({ serverUrl: 'http://localhost:3000' })

  it('passes swagger-parser validation (OpenAPI 3.1) with no errors', async () => {
    const api = await SwaggerParser.validate(structuredClone(doc) as never)
    expect(api).toHaveProperty('openapi', '3.1.0')
  })

  it('documents exactly the operations of CONTRACT section 3, each behind the bearer scheme', () => {
    const documented = Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
      Object.keys(item as object)
        .filter((k) => ['get', 'post', 'put', 'patch', 'delete'].includes(k))
        .map((method) => `${method} ${path}`),
    )
    expect(documented.sort()).toEqual(CONTRACT_OPERATIONS.map(([m, p]) => `${m} ${p}`).sort())
    expect(doc.components?.securitySchemes?.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' })
    for (const [method, path] of CONTRACT_OPERATIONS) expect(operation(doc, method, path)?.security).toEqual([{ bearerAuth: [] }])
  })

  it('names the envelope of every pagination style', () => {
    const schemas = doc.components?.schemas ?? {}
    expect(schemas).toHaveProperty('PageNumberPage_Claim')
    expect(schemas).toHaveProperty('CursorPage_Claim')
    expect(schemas).toHaveProperty('PageNumberPage_Upload')
    expect(schemas).toHaveProperty('PageNumberPage_DriftEvent')
    expect(schemas).toHaveProperty('PageNumberPage_DriftReport')
    expect([...((schemas.CursorPage_Claim as { required?: string[] }).required ?? [])].sort()).toEqual(['next', 'previous', 'results'])
  })

  it('documents the 400 body in DRF shape and every {detail} error with its headers', () => {
    const schemas = doc.components?.schemas ?? {}
    expect(schemas.ValidationErrorBody).toMatchObject({ type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } })
    const list = operation(doc, 'get', '/api/v1/claims/')!
    for (const status of ['400', '401', '403', '404', '429', '503']) expect(list.responses).toHaveProperty(status)
    expect(list.responses['401']?.headers).toHaveProperty('WWW-Authenticate')
    expect(list.responses['429']?.headers).toHaveProperty('Retry-After')
    const upload = operation(doc, 'post', '/api/v1/uploads/')!
    for (const status of ['201', '400', '401', '403', '409', '413', '415', '422', '429', '503']) expect(upload.responses).toHaveProperty(status)
    const drift = operation(doc, 'post', '/api/v1/drift/reports/')!
    expect(Object.keys(drift.responses)).toEqual(expect.arrayContaining(['200', '201', '400', '409']))
  })

  it('documents If-None-Match, ETag and the 304 on conditional GETs, and the RateLimit fields on tenant operations', () => {
    for (const path of ['/api/v1/claims/', '/api/v1/claims/{id}/', '/api/v1/uploads/statistics/']) {
      const get = operation(doc, 'get', path) as Operation & { parameters?: { name: string; in: string; required?: boolean }[] }
      expect(get.parameters).toContainEqual(expect.objectContaining({ name: 'If-None-Match', in: 'header', required: false }))
      expect(Object.keys(get.responses['200']?.headers ?? {})).toEqual(expect.arrayContaining(['ETag', 'Cache-Control', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset']))
      expect(get.responses['304']?.content).toBeUndefined()
      expect(Object.keys(get.responses['304']?.headers ?? {})).toEqual(expect.arrayContaining(['ETag', 'Cache-Control']))
      expect(Object.keys(get.responses['429']?.headers ?? {}).sort()).toEqual(['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'Retry-After'])
    }
    const post = operation(doc, 'post', '/api/v1/drift/reports/')!
    expect(post.responses['304']).toBeUndefined()
    expect(Object.keys(post.responses['201']?.headers ?? {})).not.toContain('ETag')
  })

  it('documents Prefer: respond-async on the upload, its 202 with Location and Preference-Applied, and the errors endpoint', () => {
    const upload = operation(doc, 'post', '/api/v1/uploads/') as Operation & { parameters?: { name: string; in: string; required?: boolean }[] }
    expect(upload.parameters).toContainEqual(expect.objectContaining({ name: 'Prefer', in: 'header', required: false }))
    expect(upload.responses['202']?.content).toHaveProperty('application/json')
    expect(Object.keys(upload.responses['202']?.headers ?? {}).sort()).toEqual(['Location', 'Preference-Applied', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset'])
    expect(operation(doc, 'get', '/api/v1/uploads/{id}/errors/')?.responses).toHaveProperty('404')
  })

  it('validates bodies the way the CONTRACT writes values', () => {
    const v = new OpenApiResponseValidator(doc)
    const claim = {
      id: 1,
      upload_id: 2,
      claim_number: 'C-1',
      payer_name: 'Aetna',
      cpt_code: '99213',
      service_date: '2026-02-28',
      billed_amount: '120.00',
      allowed_amount: null,
      paid_amount: '80.50',
      status: 'paid',
      denial_reason: null,
      created_at: '2026-03-01T10:00:00.000Z',
    }
    expect(v.errors('get', '/api/v1/claims/1/', 200, claim)).toEqual([])
    expect(v.errors('get', '/api/v1/claims/1/', 200, { ...claim, billed_amount: 120 })).not.toEqual([])
    expect(v.errors('get', '/api/v1/claims/1/', 200, { ...claim, billed_amount: '120.5' })).not.toEqual([])
    expect(v.errors('get', '/api/v1/claims/1/', 200, { ...claim, service_date: '2026-02-30' })).not.toEqual([])
    expect(v.errors('get', '/api/v1/claims/1/', 200, { ...claim, customer_id: 1 })).not.toEqual([])
    const page = { count: 1, next: null, previous: 'http://localhost:3000/api/v1/claims/?page=1', results: [claim] }
    expect(v.errors('get', '/api/v1/claims/', 200, page)).toEqual([])
    expect(v.errors('get', '/api/v1/claims/', 200, { next: null, previous: null, results: [claim] })).toEqual([])
    expect(v.errors('get', '/api/v1/claims/', 200, { next: null, results: [claim] })).not.toEqual([])
    expect(v.errors('get', '/api/v1/claims/', 400, { page: ['Invalid page.'] })).toEqual([])
    expect(v.errors('get', '/api/v1/claims/', 400, { page: 'Invalid page.' })).not.toEqual([])
    expect(v.errors('get', '/api/v1/claims/', 404, { detail: 'Invalid page.' })).toEqual([])
  })

  it('is one object per options (cached) and frozen', () => {
    expect(claimsOpenApiDocument({ serverUrl: 'http://localhost:3000' })).toBe(doc)
    expect(Object.isFrozen(doc.paths)).toBe(true)
    expect(claimsOpenApiDocument({ basePath: '/v2' }).paths).toHaveProperty('/v2/claims/')
  })
})

describe('the fragment an app merges into its own document', () => {
  it('goes into an app registry beside the app routes, and the result validates', async () => {
    const registry = new OpenAPIRegistry()
    const Health = z.object({ ok: z.boolean() }).meta({ id: 'Health' })
    registry.registerPath({ method: 'get', path: '/health', responses: { 200: { description: 'OK', content: { 'application/json': { schema: Health } } } } })
    registerOperations(registry, claimsOperations(), { basePath: '/claims-api' })
    const doc = new OpenApiGeneratorV31(registry.definitions).generateDocument({ openapi: '3.1.0', info: { title: 'App', version: '1' } })
    expect(Object.keys(doc.paths ?? {})).toEqual(expect.arrayContaining(['/health', '/claims-api/claims/', '/claims-api/drift/events/']))
    expect(doc.components?.schemas).toHaveProperty('Health')
    expect(doc.components?.schemas).toHaveProperty('Claim')
    await SwaggerParser.validate(doc as never)
  })

  it('spreads as plain components and paths into a hand-written document', async () => {
    const fragment = openApiFragment(claimsOperations())
    const doc = {
      openapi: '3.1.0',
      info: { title: 'Hand-written', version: '1' },
      paths: { '/ping': { get: { responses: { '204': { description: 'pong' } } } }, ...fragment.paths },
      components: { ...fragment.components, schemas: { Mine: { type: 'string' }, ...fragment.components.schemas } },
    }
    await SwaggerParser.validate(doc as never)
    expect(Object.keys(doc.paths)).toContain('/api/v1/claims/{id}/')
  })
})

describe('pageSchemaOf', () => {
  it('refuses a second, different result schema under the same name', async () => {
    const { pageSchemaOf } = await import('../../src/openapi/page-schemas.js')
    const first = z.object({ a: z.string() })
    expect(pageSchemaOf('page-number', 'PageSchemaOfProbe', first)).toBe(pageSchemaOf('page-number', 'PageSchemaOfProbe', first))
    expect(() => pageSchemaOf('page-number', 'PageSchemaOfProbe', z.object({ b: z.number() }))).toThrow(TypeError)
  })
})
