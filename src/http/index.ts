/**
 * The framework-free HTTP core: {@link createHttpHandler} over an operations table (one
 * declaration per operation routes it and documents it), bearer authentication, scope
 * permissions, token-bucket throttling (memory or Redis), errors that answer for themselves,
 * and the `node:http` adapter that Express and Koa apps use.
 *
 * @example
 * ```ts
 * import { createHttpHandler, fromNodeRequest, writeNodeResponse, tenantOperation, jsonResponse } from '@upstreamjs/upstream/http'
 * const handle = createHttpHandler({ upstream, operations: [listProducts], tenant: forTenant })
 * app.use('/api/v1', async (req, res) => writeNodeResponse(res, await handle(fromNodeRequest(req))))
 * ```
 *
 * @packageDocumentation
 * @module http
 */
// the core
export { createHttpHandler } from './create-http-handler.js'
export type { HttpHandler, HttpHandlerOptions } from './create-http-handler.js'
export { traceHttpRequest } from './trace-http-request.js'
export type { HttpTracingOptions } from './trace-http-request.js'
export { errorResponse } from './error-response.js'
export { jsonResponse, JSON_CONTENT_TYPE } from './http-response.js'
export type { HttpResponse } from './http-response.js'
export type { HttpRequest } from './http-request.js'
export type { JsonValue } from './json-value.js'
export type { Principal } from './principal.js'
export { consoleHttpLogger } from './http-logger.js'
export type { HttpLogger } from './http-logger.js'
// the operations table
export { tenantOperation, publicOperation } from './operation.js'
export type {
  HttpMethod,
  Operation,
  OperationDefinition,
  OperationList,
  OperationResponse,
  OperationSettings,
  ErrorStatus,
  PublicOperation,
  PublicOperationContext,
  TenantOperation,
  TenantOperationContext,
  RouteParams,
} from './operation.js'
export { routeTable, matchRoute } from './route-table.js'
// conditional requests (ETag, If-None-Match, 304)
export { tenantDataVersion } from './conditional/data-version.js'
export type { DataVersion } from './conditional/data-version.js'
export { readDataVersions } from './conditional/read-data-versions.js'
export { entityTagOf, ifNoneMatchIncludes, CONDITIONAL_CACHE_CONTROL } from './conditional/entity-tag.js'
export type { Route, RouteMatch } from './route-table.js'
export { schemaOperations, DocsUnavailableError } from './schema-operations.js'
export type { SchemaOperationsOptions } from './schema-operations.js'
export { readJsonBody } from './read-json-body.js'
export { headerValue, mediaTypeOf } from './media-type.js'
export { prefers } from './prefer-header.js'
// node:http, Express and Koa
export { fromNodeRequest, serializeBody, writeNodeResponse, mustCloseConnection, closeConnection } from './node-adapter.js'
export type { FromNodeRequestOptions } from './node-adapter.js'
// authentication and permissions
export { bearerAuthenticator } from './authenticator.js'
export type { Authenticator, TokenResolver } from './authenticator.js'
export { parseBearerToken } from './parse-bearer-token.js'
export { scopePermission } from './permission-check.js'
export type { PermissionCheck, PermissionContext } from './permission-check.js'
// throttling
export type { TokenBucketLimit, ThrottleDecision } from './throttle/token-bucket.js'
export type { ThrottleStore } from './throttle/throttle-store.js'
export { MemoryThrottleStore } from './throttle/memory-throttle-store.js'
export { RedisThrottleStore } from './throttle/redis-throttle-store.js'
export type { RedisEvalClient, RedisThrottleStoreOptions } from './throttle/redis-throttle-store.js'
export type { ThrottleOptions } from './throttle/throttle-options.js'
export { rateLimitHeaders, RATE_LIMIT_HEADERS_DRAFT } from './throttle/rate-limit-headers.js'
// errors
export { NotAuthenticatedError } from './errors/not-authenticated-error.js'
export { AuthenticationFailedError } from './errors/authentication-failed-error.js'
export { PermissionDeniedError } from './errors/permission-denied-error.js'
export { MethodNotAllowedError } from './errors/method-not-allowed-error.js'
export { UnsupportedMediaTypeError } from './errors/unsupported-media-type-error.js'
export { RequestBodyTooLargeError } from './errors/request-body-too-large-error.js'
export { MalformedBodyError } from './errors/malformed-body-error.js'
export { InvalidHostError } from './errors/invalid-host-error.js'
export { parseHostHeader, hostAllowed } from './allowed-hosts.js'
export { ThrottledError } from './errors/throttled-error.js'
export { ThrottleUnavailableError } from './errors/throttle-unavailable-error.js'
// presenting
export { presentListEnvelope } from './list-envelope-presenter.js'
export type { ListEnvelope, ListEnvelopeJson } from './list-envelope-presenter.js'
export { presentAmount, presentDate, presentTimestamp } from './present-values.js'
// streaming export of lists (CSV, NDJSON)
export { listFormatOf, LIST_FORMATS, LIST_MEDIA_TYPES } from './list-format.js'
export type { ListFormat } from './list-format.js'
export { listExportResponse, presentBatches } from './list-export-response.js'
export type { ExportRow, ListExportResponseOptions, ListExportSource } from './list-export-response.js'
export { NotAcceptableError } from './errors/not-acceptable-error.js'
