import { describe, expect, it } from 'vitest'
import { upstreamRoutes } from '../../src/claims/http/claims-routes.js'
import { buildOpenApiDocument } from '../../src/openapi/build-openapi-document.js'

describe('the route table and the OpenAPI document', () => {
  it('serve and document exactly the same operations, with the same operation ids', () => {
    const doc = buildOpenApiDocument({ basePath: '/api/v1' })
    const documented = Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
      Object.entries(item as Record<string, { operationId?: string }>)
        .filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
        .map(([method, op]) => `${method.toUpperCase()} ${path} ${op.operationId}`),
    )
    const served = upstreamRoutes.flatMap((route) =>
      Object.entries(route.operations)
        .filter(([, op]) => op && !op.public)
        .map(([method, op]) => `${method} /api/v1${route.path} ${op!.operationId}`),
    )
    expect(served.sort()).toEqual(documented.sort())
  })
})
