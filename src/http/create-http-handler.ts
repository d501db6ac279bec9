import { trace } from '@opentelemetry/api'
import type { UpstreamDatabase } from '../db/upstream-database.js'
import { TRACE_ATTRIBUTES } from '../tracing/index.js'
import { buildOpenApiDocument } from '../openapi/index.js'
import { forTenant } from '../tenancy/for-tenant.js'
import { resolveApiKey } from '../tenancy/resolve-api-key.js'
import { bearerAuthenticator, type Authenticator, type TokenResolver } from './authenticator.js'
import { defaultHttpServices } from '../claims/http/default-claims-services.js'
import { errorResponse } from './error-response.js'
import { MethodNotAllowedError } from './errors/method-not-allowed-error.js'
import { PermissionDeniedError } from './errors/permission-denied-error.js'
import { NotFoundError } from '../errors/not-found-error.js'
import { ThrottledError } from './errors/throttled-error.js'
import { consoleHttpLogger, type HttpLogger } from './http-logger.js'
import type { HttpRequest } from './http-request.js'
import type { HttpResponse } from './http-response.js'
import type { HttpServices } from '../claims/http/claims-services.js'
import { scopePermission, type PermissionCheck } from './permission-check.js'
import { matchRoute, type OperationSettings, type RouteDefinition } from './route-table.js'
import { MemoryThrottleStore } from './throttle/memory-throttle-store.js'
import type { ThrottleOptions } from './throttle/throttle-options.js'
import { assertTokenBucketLimit } from './throttle/token-bucket.js'
import { upstreamRoutes } from '../claims/http/claims-routes.js'
import { traceHttpRequest, type HttpTracingOptions } from './trace-http-request.js'

/**
 * Options of {@link createHttpHandler}. Everything but `upstream` has a default.
 *
 * @example
 * ```ts
 * const options: HttpHandlerOptions = { upstream, basePath: '/api/v1', throttle: { capacity: 60, refillPerSecond: 1 }, maxUploadBytes: 50 * 1024 * 1024 }
 * ```
 */
export interface HttpHandlerOptions {
  /** The database (see `createDatabase`). */
  readonly upstream: UpstreamDatabase
  /** The path prefix of the API. Default `/api/v1`; requests may give paths with or without it. */
  readonly basePath?: string
  /** Replaces the whole authentication step. Default: `Authorization: Bearer` resolved by `resolveToken`. */
  readonly authenticate?: Authenticator
  /** Resolves a bearer token (when `authenticate` is not given). Default `resolveApiKey(upstream, token)`. */
  readonly resolveToken?: TokenResolver
  /** Decides what a principal may do (403 otherwise). Default {@link scopePermission}: `read` for GET, `write` for POST. */
  readonly permission?: PermissionCheck
  /** Per-key throttling; off unless given. */
  readonly throttle?: ThrottleOptions | false
  /** Where unexpected errors are logged (a pino logger fits). Default: JSON lines on stderr. */
  readonly logger?: HttpLogger
  /** Limit of JSON request bodies (drift runs). Default 1 MiB. */
  readonly maxJsonBodyBytes?: number
  /** Limit of CSV upload bodies. Default 100 MiB. */
  readonly maxUploadBytes?: number
  /** Replaces some of the services the operations call (lists, ingestion, drift). */
  readonly services?: Partial<HttpServices>
  /** Options of the drift service's runs: subscribers called after each new report. */
  readonly drift?: Parameters<typeof defaultHttpServices>[0]
  /** Called after each drift run (for metrics). */
  readonly onDriftRun?: OperationSettings['onDriftRun']
  /** Builds the document of `GET /schema/`. Default `buildOpenApiDocument({ basePath })`. */
  readonly schemaDocument?: OperationSettings['schemaDocument']
  /** Extra routes (relative to the base path), matched before the built-in ones. */
  readonly routes?: readonly RouteDefinition[]
  /** What request spans record beyond the defaults (OpenTelemetry; see docs/observability.md). */
  readonly tracing?: HttpTracingOptions
}

/**
 * The framework-free request handler: a plain request in, a plain response out; it never throws.
 *
 * @example
 * ```ts
 * const handle: HttpHandler = createHttpHandler({ upstream })
 * const { status, headers, body } = await handle(request)
 * ```
 */
export type HttpHandler = (request: HttpRequest) => Promise<HttpResponse>

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

function normalizeBasePath(basePath: string): string {
  const trimmed = basePath.replace(/\/+$/, '')
  return trimmed === '' ? '' : trimmed.startsWith('/') ? trimmed : `/${trimmed}`
}

/**
 * The HTTP core: every endpoint of CONTRACT section 3 behind authentication, permissions,
 * optional throttling and one error mapping ({@link errorResponse}), with no web framework.
 * An adapter turns its framework's request into an {@link HttpRequest} and writes the
 * {@link HttpResponse} back (see {@link fromNodeRequest} and {@link writeNodeResponse}).
 *
 * Order per request: route (404), authentication (401), permission (403), throttle (429),
 * method (405), then the operation. `/schema/` and `/docs/` are public.
 *
 * Each request is one OpenTelemetry span ({@link traceHttpRequest}), the parent of the spans
 * of its transactions, lists, ingestion, drift run and statements: a no-op until the app
 * installs an SDK.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http'
 * const handle = createHttpHandler({ upstream, throttle: { capacity: 60, refillPerSecond: 1 } })
 * createServer(async (req, res) => writeNodeResponse(res, await handle(fromNodeRequest(req)))).listen(3000)
 * ```
 */
export function createHttpHandler(options: HttpHandlerOptions): HttpHandler {
  const { upstream } = options
  const basePath = normalizeBasePath(options.basePath ?? '/api/v1')
  const logger = options.logger ?? consoleHttpLogger
  const authenticate =
    options.authenticate ?? bearerAuthenticator(options.resolveToken ?? ((token) => resolveApiKey(upstream, token)))
  const permission = options.permission ?? scopePermission
  const services: HttpServices = { ...defaultHttpServices(options.drift), ...options.services }
  const routes = [...(options.routes ?? []), ...upstreamRoutes]
  const throttle = options.throttle ? { ...options.throttle, limit: assertTokenBucketLimit(options.throttle) } : undefined
  const throttleStore = throttle ? (throttle.store ?? new MemoryThrottleStore()) : undefined
  const throttleKey = throttle?.key ?? ((p) => (p.keyId !== undefined ? `key:${p.keyId}` : `customer:${p.customerId}`))
  const settings: OperationSettings = Object.freeze({
    basePath,
    maxJsonBodyBytes: options.maxJsonBodyBytes ?? 1024 * 1024,
    maxUploadBytes: options.maxUploadBytes ?? 100 * 1024 * 1024,
    schemaDocument: options.schemaDocument ?? (() => buildOpenApiDocument({ basePath })),
    onDriftRun: options.onDriftRun,
  })
  const tenantIdOnSpans = options.tracing?.tenantId === true

  const handle: HttpHandler = async (request) => {
    let route: string | undefined
    try {
      const method = request.method.toUpperCase()
      const relative = basePath && (request.path === basePath || request.path.startsWith(`${basePath}/`)) ? request.path.slice(basePath.length) : request.path
      const match = matchRoute(routes, relative)
      if (!match) throw new NotFoundError('route', request.path)
      route = `${basePath}${match.route.path}`
      const operation = match.route.operations[method === 'HEAD' ? 'GET' : method]
      const span = trace.getActiveSpan()
      if (span && operation) span.setAttribute(TRACE_ATTRIBUTES.operationId, operation.operationId)
      if (operation?.public) return { ...(await operation.handle({ request, params: match.params, settings })), route }

      const principal = request.principal ?? (await authenticate(request))
      if (span && tenantIdOnSpans) span.setAttribute(TRACE_ATTRIBUTES.tenantId, principal.customerId)
      const allowed = await permission({
        principal,
        request,
        method,
        route: match.route.path,
        operationId: operation?.operationId,
        requiredScope: SAFE_METHODS.has(method) ? 'read' : 'write',
      })
      if (!allowed) throw new PermissionDeniedError()
      if (throttle && throttleStore) {
        const decision = await throttleStore.take(throttleKey(principal), throttle.limit)
        if (!decision.allowed) throw new ThrottledError(decision.retryAfterSeconds)
      }
      if (!operation) throw new MethodNotAllowedError(method, Object.keys(match.route.operations))
      const tenant = forTenant(upstream, principal.customerId)
      const response = await operation.handle({ request, params: match.params, settings, principal, tenant, services })
      return { ...response, route }
    } catch (error) {
      const response = errorResponse(error, request.logger ?? logger)
      return route ? { ...response, route } : response
    }
  }
  return (request) => traceHttpRequest(request, handle)
}
