/**
 * OpenAPI 3.1 from the operations table: {@link buildOpenApiDocument} (the document the HTTP
 * core serves at `/schema/`), {@link registerOperations} (into an app's own zod-to-openapi
 * registry), {@link openApiFragment} (plain objects), list parameters and page envelopes from
 * list specs, the error bodies, and the Swagger UI page.
 *
 * @example
 * ```ts
 * import { buildOpenApiDocument } from '@upstreamjs/upstream/openapi'
 * const doc = buildOpenApiDocument({ operations, title: 'Projects API' })
 * ```
 *
 * @packageDocumentation
 * @module openapi
 */
export { buildOpenApiDocument } from './build-openapi-document.js'
export type { BuildOpenApiDocumentOptions, OpenApiDocument } from './build-openapi-document.js'
export { registerOperations } from './register-operations.js'
export type { RegisterOperationsOptions } from './register-operations.js'
export { openApiFragment } from './openapi-fragment.js'
export type { OpenApiFragment } from './openapi-fragment.js'
export { docsPage, docsPageHeaders } from './docs-page.js'
export type { DocsPageOptions } from './docs-page.js'
export { docsAsset, DOCS_ASSET_NAMES } from './docs-asset.js'
export type { DocsAsset } from './docs-asset.js'
export { listQuerySchema } from './list-query-schema.js'
export type { ListDescription, QueryParameterDescription, PageEnvelopeKey, PageStyle } from './list-description.js'
export { listDescriptionOf } from './list-description-of.js'
export type { ListSpecDescriptionLike } from './list-description-of.js'
export { pageSchemaOf, pageSchemaName } from './page-schemas.js'
export { ErrorDetailSchema, ValidationErrorBodySchema } from './error-schemas.js'
