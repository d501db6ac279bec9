import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi'
import { registerUpstreamApi, type UpstreamOpenApiOptions } from './register-claims-api.js'

/**
 * An OpenAPI 3.1 document, as zod-to-openapi's `OpenApiGeneratorV31` types it.
 *
 * @example
 * ```ts
 * const doc: OpenApiDocument = buildOpenApiDocument()
 * ```
 */
export type OpenApiDocument = ReturnType<OpenApiGeneratorV31['generateDocument']>

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
 * The library's operations as plain OpenAPI 3.1 objects, for an app that writes its document
 * by hand or with another generator. (An app on zod-to-openapi passes its registry to
 * {@link registerUpstreamApi} instead.)
 *
 * @example
 * ```ts
 * const fragment = upstreamOpenApiFragment({ basePath: '/api/v1' })
 * const doc = {
 *   openapi: '3.1.0',
 *   info: { title: 'My API', version: '1.0.0' },
 *   paths: { ...myPaths, ...fragment.paths },
 *   components: { ...myComponents, schemas: { ...myComponents.schemas, ...fragment.components.schemas },
 *     securitySchemes: { ...fragment.components.securitySchemes } },
 * }
 * ```
 */
export function upstreamOpenApiFragment(options: UpstreamOpenApiOptions = {}): OpenApiFragment {
  const registry = registerUpstreamApi(new OpenAPIRegistry(), options)
  const doc = new OpenApiGeneratorV31(registry.definitions, { unionPreferredType: 'anyOf' }).generateDocument({
    openapi: '3.1.0',
    info: { title: 'fragment', version: '0' },
  })
  const components = { ...doc.components }
  if (components.parameters && Object.keys(components.parameters).length === 0) delete components.parameters
  return { components, paths: doc.paths ?? {} }
}
