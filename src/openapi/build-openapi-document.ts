import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi'
import { registerUpstreamApi, type UpstreamOpenApiOptions } from '../claims/openapi/register-claims-api.js'
import type { OpenApiDocument } from '../claims/openapi/claims-openapi-fragment.js'

/**
 * Options of {@link buildOpenApiDocument}.
 *
 * @example
 * ```ts
 * const options: BuildOpenApiDocumentOptions = { serverUrl: 'https://api.example.com', title: 'Claims API', version: '2.0.0' }
 * ```
 */
export interface BuildOpenApiDocumentOptions extends UpstreamOpenApiOptions {
  /** The server's absolute URL (origin), e.g. `http://localhost:3000`. Omitted: `servers` is left out (same origin). */
  readonly serverUrl?: string
  /** `info.title`. Default `upstream API`. */
  readonly title?: string
  /** `info.version`. Default `1.0.0`. */
  readonly version?: string
  /** `info.description`. */
  readonly description?: string
}

const cache = new Map<string, OpenApiDocument>()

/**
 * The whole OpenAPI 3.1 document of the upstream HTTP API, as the example servers answer it
 * on `GET /api/v1/schema/`. Built once per distinct options and cached and deeply frozen:
 * pass a copy (`structuredClone(doc)`) to tools that mutate, such as swagger-parser.
 *
 * @example
 * ```ts
 * const doc = buildOpenApiDocument({ serverUrl: 'http://localhost:3000', title: 'Claims API' })
 * res.json(doc)
 * ```
 */
export function buildOpenApiDocument(options: BuildOpenApiDocumentOptions = {}): OpenApiDocument {
  const key = JSON.stringify([
    options.basePath,
    options.securitySchemeName,
    options.tagPrefix,
    options.serverUrl,
    options.title,
    options.version,
    options.description,
  ])
  const cached = cache.get(key)
  if (cached) return cached
  const registry = registerUpstreamApi(new OpenAPIRegistry(), options)
  const generated = new OpenApiGeneratorV31(registry.definitions, { unionPreferredType: 'anyOf' }).generateDocument({
    openapi: '3.1.0',
    info: {
      title: options.title ?? 'upstream API',
      version: options.version ?? '1.0.0',
      description:
        options.description ??
        'Claims uploads, claim records and payer drift detection. Every request needs `Authorization: Bearer <token>`; every answer is scoped to the token\'s customer.',
    },
    ...(options.serverUrl ? { servers: [{ url: options.serverUrl.replace(/\/+$/, '') }] } : {}),
    tags: [
      { name: `${options.tagPrefix ?? ''}uploads`, description: 'CSV uploads of claims.' },
      { name: `${options.tagPrefix ?? ''}claims`, description: 'Claim records.' },
      { name: `${options.tagPrefix ?? ''}drift`, description: 'Payer drift detection.' },
    ],
  })
  const copy = structuredClone(generated)
  if (copy.components?.parameters && Object.keys(copy.components.parameters).length === 0) delete copy.components.parameters
  if (copy.webhooks && Object.keys(copy.webhooks).length === 0) delete copy.webhooks
  deepFreeze(copy)
  cache.set(key, copy)
  return copy
}

function deepFreeze(value: unknown): void {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const inner of Object.values(value)) deepFreeze(inner)
  }
}
