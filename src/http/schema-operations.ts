import { createRequire } from 'node:module'
import { NotFoundError } from '../errors/index.js'
import type { JsonValue } from './json-value.js'
import { jsonResponse } from './http-response.js'
import { publicOperation, type Operation, type PublicOperation } from './operation.js'

/**
 * Options of the built-in `/schema/` and `/docs/` operations of {@link createHttpHandler}.
 *
 * @example
 * ```ts
 * createHttpHandler({ upstream, operations, tenant: forTenant, schema: { title: 'Projects API', docs: false } })
 * ```
 */
export interface SchemaOperationsOptions {
  /** `info.title` of the document. Default `API`. */
  readonly title?: string
  /** `info.version`. Default `1.0.0`. */
  readonly version?: string
  /** `info.description`. */
  readonly description?: string
  /** Tags with descriptions, in order. */
  readonly tags?: readonly { readonly name: string; readonly description?: string }[]
  /** Serve `/docs/` (Swagger UI from the optional peer `swagger-ui-dist`). Default `true`. */
  readonly docs?: boolean
  /** The base path (set by the handler). */
  readonly basePath?: string
}

/**
 * The docs page was asked for but `swagger-ui-dist` is not installed: refused when the
 * handler is made, never a blank page or a 500 at request time.
 *
 * @example
 * ```ts
 * try { createHttpHandler(options) } catch (e) { if (e instanceof DocsUnavailableError) console.error(e.message) }
 * ```
 */
export class DocsUnavailableError extends Error {
  constructor(options?: { cause?: unknown }) {
    super('The /docs/ page needs the package swagger-ui-dist: run `npm install swagger-ui-dist`, or pass `schema: { docs: false }`.', options)
    this.name = 'DocsUnavailableError'
  }
}

function assertSwaggerUiInstalled(): void {
  try {
    createRequire(import.meta.url).resolve('swagger-ui-dist/package.json')
  } catch (error) {
    throw new DocsUnavailableError({ cause: error })
  }
}

/**
 * The public operations `GET /schema/` (the OpenAPI 3.1 document of `operations`, built on
 * first request and cached) and, unless `docs: false`, `GET /docs/` with its assets. The
 * OpenAPI and docs code is loaded only when asked for.
 *
 * @throws {@link DocsUnavailableError} when docs are on and `swagger-ui-dist` is missing.
 *
 * @example
 * ```ts
 * const routes = [...operations, ...schemaOperations(operations, { basePath: '/api/v1', title: 'Projects API' })]
 * ```
 */
export function schemaOperations<Scope>(operations: readonly Operation<Scope>[], options: SchemaOperationsOptions = {}): PublicOperation[] {
  const basePath = options.basePath ?? '/api/v1'
  const schema = publicOperation({
    method: 'GET',
    path: '/schema/',
    operationId: 'schema_retrieve',
    hidden: true,
    handle: async () => {
      const { buildOpenApiDocument } = await import('../openapi/index.js')
      const document = buildOpenApiDocument({ ...options, basePath, operations })
      return jsonResponse(200, document as unknown as JsonValue)
    },
  })
  if (options.docs === false) return [schema]
  assertSwaggerUiInstalled()
  return [
    schema,
    publicOperation({
      method: 'GET',
      path: '/docs/',
      operationId: 'docs_retrieve',
      hidden: true,
      handle: async () => {
        const { docsPage, docsPageHeaders } = await import('../openapi/index.js')
        const page = { schemaUrl: `${basePath}/schema/`, assetBaseUrl: `${basePath}/docs/`, title: options.title }
        // a Content-Security-Policy admitting the page's own inline script by hash, no framing
        return { status: 200, headers: docsPageHeaders(page), body: docsPage(page) }
      },
    }),
    publicOperation({
      method: 'GET',
      path: '/docs/{asset}',
      operationId: 'docs_asset_retrieve',
      hidden: true,
      handle: async ({ params }) => {
        const { docsAsset } = await import('../openapi/index.js')
        const name = params.strings.asset ?? ''
        const asset = await docsAsset(name)
        if (!asset) throw new NotFoundError('docs', name)
        return {
          status: 200,
          headers: { 'content-type': asset.contentType, 'content-length': String(asset.size), 'cache-control': 'public, max-age=86400' },
          body: asset.stream(),
        }
      },
    }),
  ]
}
