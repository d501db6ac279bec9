import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi'
import type { Operation } from '../http/index.js'
import { registerOperations, type RegisterOperationsOptions } from './register-operations.js'

/**
 * An OpenAPI 3.1 document, as zod-to-openapi generates it.
 *
 * @example
 * ```ts
 * const doc: OpenApiDocument = buildOpenApiDocument({ operations })
 * Object.keys(doc.paths ?? {})
 * ```
 */
export type OpenApiDocument = ReturnType<OpenApiGeneratorV31['generateDocument']>

/**
 * Options of {@link buildOpenApiDocument}.
 *
 * @example
 * ```ts
 * const options: BuildOpenApiDocumentOptions = { serverUrl: 'https://api.example.com', title: 'Claims API', version: '2.0.0' }
 * ```
 */
export interface BuildOpenApiDocumentOptions<Scope = unknown> extends RegisterOperationsOptions {
  /** The operations table (the same one the HTTP core routes). */
  readonly operations: readonly Operation<Scope>[]
  /** The server's absolute URL (origin), e.g. `http://localhost:3000`. Omitted: `servers` is left out (same origin). */
  readonly serverUrl?: string
  /** `info.title`. Default `upstream API`. */
  readonly title?: string
  /** `info.version`. Default `1.0.0`. */
  readonly version?: string
  /** `info.description`. */
  readonly description?: string
  /** `tags` with their descriptions, in order. */
  readonly tags?: readonly { readonly name: string; readonly description?: string }[]
}

const cache = new WeakMap<readonly unknown[], Map<string, OpenApiDocument>>()

/**
 * The whole OpenAPI 3.1 document of an operations table, as the HTTP core answers it on
 * `GET <basePath>/schema/`. Built once per table and options, cached and deeply frozen: pass
 * a copy (`structuredClone(doc)`) to tools that mutate, such as swagger-parser.
 *
 * @example
 * ```ts
 * const doc = buildOpenApiDocument({ operations: [...claimsOperations(), ...myOperations], title: 'My API' })
 * res.json(doc)
 * ```
 */
export function buildOpenApiDocument<Scope>(options: BuildOpenApiDocumentOptions<Scope>): OpenApiDocument {
  let byOptions = cache.get(options.operations)
  if (!byOptions) cache.set(options.operations, (byOptions = new Map()))
  const key = JSON.stringify([
    options.basePath,
    options.securitySchemeName,
    options.tagPrefix,
    options.serverUrl,
    options.title,
    options.version,
    options.description,
    options.tags,
  ])
  const cached = byOptions.get(key)
  if (cached) return cached
  const registry = registerOperations(new OpenAPIRegistry(), options.operations, options)
  const generated = new OpenApiGeneratorV31(registry.definitions, { unionPreferredType: 'anyOf' }).generateDocument({
    openapi: '3.1.0',
    info: {
      title: options.title ?? 'API',
      version: options.version ?? '1.0.0',
      ...(options.description ? { description: options.description } : {}),
    },
    ...(options.serverUrl ? { servers: [{ url: options.serverUrl.replace(/\/+$/, '') }] } : {}),
    ...(options.tags ? { tags: options.tags.map((t) => ({ ...t, name: `${options.tagPrefix ?? ''}${t.name}` })) } : {}),
  })
  const copy = structuredClone(generated)
  if (copy.components?.parameters && Object.keys(copy.components.parameters).length === 0) delete copy.components.parameters
  if (copy.webhooks && Object.keys(copy.webhooks).length === 0) delete copy.webhooks
  deepFreeze(copy)
  byOptions.set(key, copy)
  return copy
}

function deepFreeze(value: unknown): void {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const inner of Object.values(value)) deepFreeze(inner)
  }
}
