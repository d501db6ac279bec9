import { buildOpenApiDocument, type BuildOpenApiDocumentOptions, type OpenApiDocument } from '../../openapi/index.js'
import type { ClaimsTenantScope } from '../core/index.js'
import { CLAIMS_TAGS, claimsOperations } from './claims-operations.js'

/**
 * The document's description of the claims API.
 *
 * @example
 * ```ts
 * buildOpenApiDocument({ operations, description: CLAIMS_API_DESCRIPTION })
 * ```
 */
export const CLAIMS_API_DESCRIPTION =
  'Claims uploads, claim records and payer drift detection. Every request needs `Authorization: Bearer <token>`; every answer is scoped to the token\'s customer.'

const operations = claimsOperations()

/**
 * The OpenAPI 3.1 document of the claims API, as `createClaimsHttpHandler` serves it on
 * `/schema/` (title `upstream API`, the claims tags); options override any of it.
 *
 * @example
 * ```ts
 * const doc = claimsOpenApiDocument({ serverUrl: 'https://api.example.com' })
 * ```
 */
export function claimsOpenApiDocument(options: Partial<BuildOpenApiDocumentOptions<ClaimsTenantScope>> = {}): OpenApiDocument {
  return buildOpenApiDocument({ title: 'upstream API', description: CLAIMS_API_DESCRIPTION, tags: CLAIMS_TAGS, operations, ...options })
}
