/**
 * The claims API over HTTP: its operations table ({@link claimsOperations}), the services
 * the operations call, and the presenters that write rows as the API's JSON.
 *
 * @example
 * ```ts
 * const handle = createHttpHandler({ upstream, tenant: claimsTenant, operations: claimsOperations() })
 * ```
 *
 * @module
 */
export { claimsOperations, CLAIMS_TAGS } from './claims-operations.js'
export { createClaimsHttpHandler } from './create-claims-http-handler.js'
export type { ClaimsHttpHandlerOptions } from './create-claims-http-handler.js'
export type { ClaimsOperationsOptions } from './claims-operations.js'
export { claimsOpenApiDocument, CLAIMS_API_DESCRIPTION } from './claims-openapi-document.js'
export { defaultClaimsServices } from './default-claims-services.js'
export type { ClaimsServices, ListService, ListCallOptions, IngestUploadInput, DriftRunResult } from './claims-services.js'
