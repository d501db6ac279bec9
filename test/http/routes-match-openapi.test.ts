import { describe, expect, it } from 'vitest'
import { claimsOpenApiDocument, claimsOperations } from '../support/upstream.js'

describe('the operations table and the OpenAPI document', () => {
  it('serve and document exactly the same operations, with the same operation ids', () => {
    const doc = claimsOpenApiDocument({ basePath: '/api/v1' })
    const documented = Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
      Object.entries(item as Record<string, { operationId?: string }>)
        .filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
        .map(([method, op]) => `${method.toUpperCase()} ${path} ${op.operationId}`),
    )
    const served = claimsOperations()
      .filter((op) => !op.public && !op.hidden)
      .map((op) => `${op.method} /api/v1${op.path} ${op.operationId}`)
    expect(served.length).toBe(12)
    expect(served.sort()).toEqual(documented.sort())
  })
})
