// the core
export { createHttpHandler } from './create-http-handler.js'
export type { HttpHandler, HttpHandlerOptions } from './create-http-handler.js'
export { traceHttpRequest } from './trace-http-request.js'
export type { HttpTracingOptions } from './trace-http-request.js'
export { errorResponse, ERROR_DETAILS } from './error-response.js'
export { jsonResponse, JSON_CONTENT_TYPE } from './http-response.js'
export type { HttpResponse } from './http-response.js'
export type { HttpRequest } from './http-request.js'
export type { JsonValue } from './json-value.js'
export type { Principal } from './principal.js'
export { consoleHttpLogger } from './http-logger.js'
export type { HttpLogger } from './http-logger.js'
export { defaultHttpServices } from '../claims/http/default-claims-services.js'
export type { HttpServices, ListService, ListCallOptions, IngestUploadInput, DriftRunResult } from '../claims/http/claims-services.js'
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
export { upstreamRoutes } from '../claims/http/claims-routes.js'
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
export { presentUpload } from '../claims/http/presenters/upload-presenter.js'
export type { UploadJson } from '../claims/http/presenters/upload-presenter.js'
export { presentClaim } from '../claims/http/presenters/claim-presenter.js'
export type { ClaimJson } from '../claims/http/presenters/claim-presenter.js'
export { presentDriftReport, presentDriftReportDetail } from '../claims/http/presenters/drift-report-presenter.js'
export type { DriftReportJson, DriftReportDetailJson } from '../claims/http/presenters/drift-report-presenter.js'
export { presentDriftEvent } from '../claims/http/presenters/drift-event-presenter.js'
export type { DriftEventJson } from '../claims/http/presenters/drift-event-presenter.js'
export { presentUploadStatistics } from '../claims/http/presenters/upload-statistics-presenter.js'
export type { UploadStatisticsJson, UploadStatisticsInput } from '../claims/http/presenters/upload-statistics-presenter.js'
export { presentListEnvelope } from './list-envelope-presenter.js'
export type { ListEnvelope, ListEnvelopeJson } from './list-envelope-presenter.js'
export { presentAmount, presentDate, presentTimestamp } from './present-values.js'
