import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi'
import type { Operation } from '../http/index.js'
import type { OpenApiDocument } from './build-openapi-document.js'
import { registerOperations, type RegisterOperationsOptions } from './register-operations.js'

/**
 * The part of an OpenAPI 3.1 document the library contributes: spread it into yours.
 *
 * @example
 * ```ts
 * const { paths, components } = upstreamOpenApiFragment()
 * ```
 */
export interface OpenApiFragment {
  /** `schemas`, `securitySchemes` (and `parameters`) to merge into your `components`. */
  readonly components: NonNullable<OpenApiDocument['components']>
  /** Every path of the API, keyed with the base path. */
  readonly paths: NonNullable<OpenApiDocument['paths']>
}

/**
 * Operations of an operations table as plain OpenAPI 3.1 objects, for an app that writes its
 * document by hand or with another generator. (An app on zod-to-openapi passes its registry
 * to {@link registerOperations} instead.)
 *
 * @example
 * ```ts
 * const fragment = openApiFragment(claimsOperations(), { basePath: '/api/v1' })
 * const doc = {
 *   openapi: '3.1.0',
 *   info: { title: 'My API', version: '1.0.0' },
 *   paths: { ...myPaths, ...fragment.paths },
 *   components: { schemas: { ...mySchemas, ...fragment.components.schemas }, securitySchemes: fragment.components.securitySchemes },
 * }
 * ```
 */
export function openApiFragment<Scope>(operations: readonly Operation<Scope>[], options: RegisterOperationsOptions = {}): OpenApiFragment {
  const registry = registerOperations(new OpenAPIRegistry(), operations, options)
  const doc = new OpenApiGeneratorV31(registry.definitions, { unionPreferredType: 'anyOf' }).generateDocument({
    openapi: '3.1.0',
    info: { title: 'fragment', version: '0' },
  })
  const components = { ...doc.components }
  if (components.parameters && Object.keys(components.parameters).length === 0) delete components.parameters
  return { components, paths: doc.paths ?? {} }
}
