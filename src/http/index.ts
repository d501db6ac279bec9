// the core
export { createHttpHandler } from './create-http-handler.js'
export type { HttpHandler, HttpHandlerOptions } from './create-http-handler.js'
export { errorResponse, ERROR_DETAILS } from './error-response.js'
export { jsonResponse, JSON_CONTENT_TYPE } from './http-response.js'
export type { HttpResponse } from './http-response.js'
export type { HttpRequest } from './http-request.js'
export type { JsonValue } from './json-value.js'
export type { Principal } from './principal.js'
export { consoleHttpLogger } from './http-logger.js'
export type { HttpLogger } from './http-logger.js'
export { defaultHttpServices } from './default-http-services.js'
export type { HttpServices, ListService, ListCallOptions, IngestUploadInput, DriftRunResult } from './http-services.js'
export { matchRoute, tenantOperation, publicOperation } from './route-table.js'
export type {
  RouteDefinition,
  RouteMatch,
  RouteParams,
  Operation,
  OperationSettings,
  PublicOperationContext,
  TenantOperationContext,
} from './route-table.js'
export { upstreamRoutes } from './upstream-routes.js'
export { readJsonBody } from './read-json-body.js'
export { headerValue, mediaTypeOf } from './media-type.js'

// node:http, Express and Koa
export { fromNodeRequest, serializeBody, writeNodeResponse } from './node-adapter.js'
export type { FromNodeRequestOptions } from './node-adapter.js'

// authentication and permissions
export { bearerAuthenticator } from './authenticator.js'
export type { Authenticator, TokenResolver } from './authenticator.js'
export { parseBearerToken } from './parse-bearer-token.js'
export { scopePermission } from './permission-check.js'
export type { PermissionCheck, PermissionContext } from './permission-check.js'

// throttling
export { takeToken, assertTokenBucketLimit } from './throttle/token-bucket.js'
export type { TokenBucketLimit, TokenBucketState, ThrottleDecision } from './throttle/token-bucket.js'
export type { ThrottleStore } from './throttle/throttle-store.js'
export { MemoryThrottleStore } from './throttle/memory-throttle-store.js'
export { RedisThrottleStore } from './throttle/redis-throttle-store.js'
export type { RedisEvalClient } from './throttle/redis-throttle-store.js'
export type { ThrottleOptions } from './throttle/throttle-options.js'

// errors
export { NotAuthenticatedError } from './errors/not-authenticated-error.js'
export { AuthenticationFailedError } from './errors/authentication-failed-error.js'
export { PermissionDeniedError } from './errors/permission-denied-error.js'
export { MethodNotAllowedError } from './errors/method-not-allowed-error.js'
export { UnsupportedMediaTypeError } from './errors/unsupported-media-type-error.js'
export { RequestBodyTooLargeError } from './errors/request-body-too-large-error.js'
export { MalformedBodyError } from './errors/malformed-body-error.js'
export { ThrottledError } from './errors/throttled-error.js'

// presenters
export { presentUpload } from './presenters/upload-presenter.js'
export type { UploadJson } from './presenters/upload-presenter.js'
export { presentClaim } from './presenters/claim-presenter.js'
export type { ClaimJson } from './presenters/claim-presenter.js'
export { presentDriftReport, presentDriftReportDetail } from './presenters/drift-report-presenter.js'
export type { DriftReportJson, DriftReportDetailJson } from './presenters/drift-report-presenter.js'
export { presentDriftEvent } from './presenters/drift-event-presenter.js'
export type { DriftEventJson } from './presenters/drift-event-presenter.js'
export { presentUploadStatistics } from './presenters/upload-statistics-presenter.js'
export type { UploadStatisticsJson, UploadStatisticsInput } from './presenters/upload-statistics-presenter.js'
export { presentListEnvelope } from './presenters/list-envelope-presenter.js'
export type { ListEnvelope, ListEnvelopeJson } from './presenters/list-envelope-presenter.js'
export { presentAmount, presentDate, presentTimestamp } from './presenters/present-values.js'
