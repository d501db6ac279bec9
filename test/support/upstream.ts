// Everything the tests use by name: the generic core, the HTTP core, OpenAPI and the claims domain.
export * from '../../src/index.js'
export * from '../../src/http/index.js'
export * from '../../src/openapi/index.js'
export * from '../../src/claims/index.js'
