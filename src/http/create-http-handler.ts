import { trace } from '@opentelemetry/api'
import type { ZodType } from 'zod'
import type { UpstreamDatabase } from '../db/index.js'
import { NotFoundError, RequestAbortedError } from '../errors/index.js'
import { resolveApiKey } from '../tenancy/index.js'
import { authenticatedRead, canAuthenticateInRead } from '../tenancy/internal.js'
import { AuthenticationFailedError } from './errors/authentication-failed-error.js'
import { parseBearerToken } from './parse-bearer-token.js'
import type { Principal } from './principal.js'
import { TRACE_ATTRIBUTES } from '../tracing/index.js'
import { bearerAuthenticator, type Authenticator, type TokenResolver } from './authenticator.js'
import { errorResponse } from './error-response.js'
import { MethodNotAllowedError } from './errors/method-not-allowed-error.js'
import { PermissionDeniedError } from './errors/permission-denied-error.js'
import { ThrottledError } from './errors/throttled-error.js'
import { consoleHttpLogger, type HttpLogger } from './http-logger.js'
import type { HttpRequest } from './http-request.js'
import type { HttpResponse } from './http-response.js'
import type { HttpMethod, Operation, OperationSettings, PublicOperation, TenantOperation, TenantOperationContext } from './operation.js'
import { NotAcceptableError } from './errors/not-acceptable-error.js'
import { listExportResponse } from './list-export-response.js'
import { listFormatOf, type ListFormat } from './list-format.js'
import { scopePermission, type PermissionCheck } from './permission-check.js'
import { matchRoute, routeTable } from './route-table.js'
import { schemaOperations, type SchemaOperationsOptions } from './schema-operations.js'
import { MemoryThrottleStore } from './throttle/memory-throttle-store.js'
import type { ThrottleOptions } from './throttle/throttle-options.js'
import { assertTokenBucketLimit } from './throttle/token-bucket.js'
import { hostAllowed, parseHostHeader } from './allowed-hosts.js'
import { InvalidHostError } from './errors/invalid-host-error.js'
import { headerValue } from './media-type.js'
import { traceHttpRequest, type HttpTracingOptions } from './trace-http-request.js'
import { rateLimitHeaders } from './throttle/rate-limit-headers.js'
import { readDataVersions } from './conditional/read-data-versions.js'
import { versionColumn, versionColumns } from './conditional/version-columns.js'
import { tenantDataVersion } from './conditional/data-version.js'
import { CONDITIONAL_CACHE_CONTROL, entityTagOf, ifNoneMatchIncludes } from './conditional/entity-tag.js'

/**
 * Options of {@link createHttpHandler}. `upstream`, `operations` and `tenant` are required.
 *
 * @example
 * ```ts
 * const options: HttpHandlerOptions<AppDatabase, TenantScope<AppDatabase>> = {
 *   upstream, operations: appOperations, tenant: forTenant,
 *   throttle: { capacity: 60, refillPerSecond: 1 },
 * }
 * ```
 */
export interface HttpHandlerOptions<DB, Scope> {
  /** The database (see `createDatabase`). */
  readonly upstream: UpstreamDatabase<DB>
  /** The operations table: routed here, documented at `GET <basePath>/schema/` from the same values. */
  readonly operations: readonly Operation<Scope>[]
  /** Makes the tenant scope a tenant operation gets: `forTenant`, or a scope with the app's repositories. */
  readonly tenant: (upstream: UpstreamDatabase<DB>, customerId: number) => Scope
  /** The path prefix of the API. Default `/api/v1`; requests may give paths with or without it. */
  readonly basePath?: string
  /** Replaces the whole authentication step. Default: `Authorization: Bearer` resolved by `resolveToken`. */
  readonly authenticate?: Authenticator
  /** Resolves a bearer token (when `authenticate` is not given). Default `resolveApiKey(upstream, token)`. */
  readonly resolveToken?: TokenResolver
  /** Decides what a principal may do (403 otherwise). Default {@link scopePermission}. */
  readonly permission?: PermissionCheck
  /** Per-key throttling; off unless given. */
  readonly throttle?: ThrottleOptions | false
  /** Where unexpected errors are logged (a pino logger fits). Default: JSON lines on stderr. */
  readonly logger?: HttpLogger
  /** Limit of JSON request bodies. Default 1 MiB. */
  readonly maxJsonBodyBytes?: number
  /**
   * `GET <basePath>/schema/` (the OpenAPI document of `operations`) and `GET <basePath>/docs/`
   * (an interactive reference page; needs the optional peer `swagger-ui-dist`). Default on;
   * `false` serves neither.
   */
  readonly schema?: SchemaOperationsOptions | false
  /**
   * Called with every error before the error answers for itself: return a response to
   * answer otherwise, or `undefined` to keep the error's own answer.
   */
  readonly onError?: (error: unknown, request: HttpRequest) => HttpResponse | undefined
  /**
   * The public origin of the API (`https://api.example.com`): `next`/`previous` links are
   * built on it and the request's `Host` is never echoed. Default: the request's own origin
   * (its `Host`), safe only behind a proxy that sets `Host`, or with `allowedHosts`.
   */
  readonly publicBaseUrl?: string
  /**
   * The host names served, as Django's `ALLOWED_HOSTS`: `api.example.com`, `.example.com`
   * (the domain and its subdomains) or `*`. Another `Host` answers 400. Default: any
   * well-formed host. A malformed `Host` answers 400 whatever this says.
   */
  readonly allowedHosts?: readonly string[]
  /** What request spans record beyond the defaults (OpenTelemetry; see the tracing guide). */
  readonly tracing?: HttpTracingOptions
}

/**
 * The framework-free request handler: a plain request in, a plain response out; it never throws.
 *
 * @example
 * ```ts
 * const handle: HttpHandler = createHttpHandler({ upstream, operations, tenant: forTenant })
 * const { status, headers, body } = await handle(request)
 * ```
 */
export type HttpHandler = (request: HttpRequest) => Promise<HttpResponse>

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

function normalizeBasePath(basePath: string): string {
  const trimmed = basePath.replace(/\/+$/, '')
  return trimmed === '' ? '' : trimmed.startsWith('/') ? trimmed : `/${trimmed}`
}

function publicOriginOf(publicBaseUrl: string | undefined): string | undefined {
  if (publicBaseUrl === undefined) return undefined
  let url: URL
  try {
    url = new URL(publicBaseUrl)
  } catch {
    throw new RangeError(`publicBaseUrl must be an absolute http(s) URL, not ${JSON.stringify(publicBaseUrl)}`)
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.pathname !== '/' || url.search || url.hash || url.username) {
    throw new RangeError(`publicBaseUrl must be an origin such as https://api.example.com, not ${JSON.stringify(publicBaseUrl)}`)
  }
  return url.origin
}

/**
 * Checks the request's `Host` (and, with `allowedHosts`, the host of the URL links would
 * echo), then returns the request with its URL on the public origin when there is one.
 */
function checkedRequest(request: HttpRequest, allowedHosts: readonly string[] | undefined, publicOrigin: string | undefined): HttpRequest {
  const header = headerValue(request.headers.host)
  if (header !== undefined) {
    const host = parseHostHeader(header)
    if (!host || (allowedHosts && !hostAllowed(host.hostname, allowedHosts))) throw new InvalidHostError()
  }
  if (!publicOrigin && !allowedHosts) return request // nothing more to check: no URL parse per request
  let url: URL
  try {
    url = new URL(request.url)
  } catch (cause) {
    throw new InvalidHostError({ cause })
  }
  if (publicOrigin) return { ...request, url: `${publicOrigin}${url.pathname}${url.search}` }
  if (allowedHosts && !hostAllowed(url.hostname, allowedHosts)) throw new InvalidHostError()
  return request
}

/** The JSON field names of a list's result schema (an object schema), in order. */
function resultFields(result: ZodType): readonly string[] | undefined {
  const shape = (result as { shape?: unknown }).shape
  return typeof shape === 'object' && shape !== null ? Object.keys(shape) : undefined
}

/** A list operation's rows streamed as CSV or NDJSON (406 when the operation has no export). */
function exportListResponse<Scope>(operation: TenantOperation<Scope>, format: Exclude<ListFormat, 'json'>, context: TenantOperationContext<Scope>): Promise<HttpResponse> {
  const list = operation.list!
  if (!list.export) throw new NotAcceptableError(format, ['json'])
  const fields = resultFields(list.result)
  return listExportResponse(format, { batches: list.export(context), ...(fields ? { fields } : {}) }, { filename: list.spec.name ?? operation.operationId })
}

const NOSNIFF = 'nosniff'

/** `X-Content-Type-Options: nosniff` on a response that lacks it (JSON responses carry it already). */
function hardened(response: HttpResponse): HttpResponse {
  if (response.headers['x-content-type-options'] === NOSNIFF) return response
  return { ...response, headers: { ...response.headers, 'x-content-type-options': NOSNIFF } }
}

/** The response with `extra` headers added (the response's own win). */
function withHeaders(response: HttpResponse, extra: Readonly<Record<string, string>> | undefined): HttpResponse {
  return extra ? { ...response, headers: { ...extra, ...response.headers } } : response
}

/**
 * The HTTP core: an operations table behind authentication, permissions, optional
 * throttling and errors that answer for themselves, with no web framework. An adapter turns
 * its framework's request into an {@link HttpRequest} and writes the {@link HttpResponse}
 * back (see `fromNodeRequest` and `writeNodeResponse`).
 *
 * Order per request: `Host` (400), route (404), authentication (401), permission (403),
 * throttle (429), method (405), then the operation. Public operations (`/schema/`, `/docs/`)
 * skip the middle. Every response carries `X-Content-Type-Options: nosniff`.
 *
 * A `GET`/`HEAD` with the built-in key lookup on `pg` authenticates in the statement that
 * starts the tenant's read transaction, and the operation's tenant reads join it (two round
 * trips for a cheap read; the key is still looked up on every request, so a revoked key is
 * refused at once). See the tenancy guide, "An HTTP read: two round trips".
 *
 * A request's `signal` (see `fromNodeRequest`'s `response`) cancels it: the claims
 * operations pass it to their reads, lists and drift runs, whose running statement is
 * cancelled in PostgreSQL; the answer is 499 (`RequestAbortedError`), never logged as an error.
 *
 * With a throttle, every response past it (success, error and the 429 itself) carries
 * `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset`
 * (draft-ietf-httpapi-ratelimit-headers-06, see `rateLimitHeaders`).
 *
 * A GET of an operation that declares `dependsOn` (its data versions) is conditional: the
 * versions are read first (one statement in a tenant read transaction); `If-None-Match` with
 * the current tag answers 304 with no body, without running the operation; otherwise its 200
 * carries the `ETag` and `Cache-Control: private, no-cache`.
 *
 * Each request is one OpenTelemetry span ({@link traceHttpRequest}), the parent of the spans
 * of its transactions, lists, ingestion, drift run and statements: a no-op until the app
 * installs an SDK.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http'
 * const handle = createHttpHandler({ upstream, operations: [...myOperations], tenant: forTenant })
 * createServer(async (req, res) => writeNodeResponse(res, await handle(fromNodeRequest(req)))).listen(3000)
 * ```
 */
export function createHttpHandler<DB, Scope>(options: HttpHandlerOptions<DB, Scope>): HttpHandler {
  const { upstream } = options
  const basePath = normalizeBasePath(options.basePath ?? '/api/v1')
  const logger = options.logger ?? consoleHttpLogger
  const authenticate = options.authenticate ?? bearerAuthenticator(options.resolveToken ?? ((token) => resolveApiKey(upstream, token)))
  const permission = options.permission ?? scopePermission
  const builtIn: readonly PublicOperation[] =
    options.schema === false ? [] : schemaOperations(options.operations, { basePath, ...options.schema })
  const routes = routeTable<Scope>([...options.operations, ...builtIn])
  const throttle = options.throttle ? { ...options.throttle, limit: assertTokenBucketLimit(options.throttle) } : undefined
  const throttleStore = throttle ? (throttle.store ?? new MemoryThrottleStore()) : undefined
  const throttleKey = throttle?.key ?? ((p) => (p.keyId !== undefined ? `key:${p.keyId}` : `customer:${p.customerId}`))
  const settings: OperationSettings = Object.freeze({ basePath, maxJsonBodyBytes: options.maxJsonBodyBytes ?? 1024 * 1024 })
  const publicOrigin = publicOriginOf(options.publicBaseUrl)
  const allowedHosts = options.allowedHosts ? Object.freeze([...options.allowedHosts]) : undefined
  const tenantIdOnSpans = options.tracing?.tenantId === true
  // the built-in key lookup on pg: safe requests authenticate in their read transaction's first round trip
  const readInAuthentication = options.authenticate === undefined && options.resolveToken === undefined && canAuthenticateInRead(upstream)

  const handle: HttpHandler = async (incoming) => {
    let route: string | undefined
    let limitHeaders: Readonly<Record<string, string>> | undefined
    let request = incoming
    try {
      request = checkedRequest(incoming, allowedHosts, publicOrigin)
      const method = request.method.toUpperCase()
      const relative =
        basePath && (request.path === basePath || request.path.startsWith(`${basePath}/`)) ? request.path.slice(basePath.length) : request.path
      const match = matchRoute(routes, relative)
      if (!match) throw new NotFoundError('route', request.path)
      route = `${basePath}${match.route.path}`
      const operation = match.route.operations[(method === 'HEAD' ? 'GET' : method) as HttpMethod]
      const span = trace.getActiveSpan()
      if (span && operation) span.setAttribute(TRACE_ATTRIBUTES.operationId, operation.operationId)
      if (operation?.public) return hardened({ ...(await operation.handle({ request, params: match.params, settings })), route })

      RequestAbortedError.throwIfAborted(request.signal) // the client is gone: not even the token lookup
      // `preread`: the versions, read in the round trip that authenticated the key
      const authorized = async (principal: Principal, preread?: readonly string[]): Promise<HttpResponse> => {
        if (span && tenantIdOnSpans) span.setAttribute(TRACE_ATTRIBUTES.tenantId, principal.customerId)
        const allowed = await permission({
          principal,
          request,
          method,
          route: match.route.path,
          operationId: operation?.operationId,
          requiredScope: operation?.requiredScope ?? (SAFE_METHODS.has(method) ? 'read' : 'write'),
        })
        if (!allowed) throw new PermissionDeniedError()
        if (throttle && throttleStore) {
          const decision = await throttleStore.take(throttleKey(principal), throttle.limit)
          limitHeaders = rateLimitHeaders(throttle.limit, decision)
          if (!decision.allowed) throw new ThrottledError(decision.retryAfterSeconds)
        }
        if (!operation) throw new MethodNotAllowedError(method, Object.keys(match.route.operations))
        let tag: string | undefined
        if (operation.dependsOn && operation.dependsOn.length > 0 && (method === 'GET' || method === 'HEAD')) {
          // one statement in a tenant read (the authenticated read's, when there is one): the versions the answer depends on
          const versions = preread ?? (await readDataVersions(upstream, principal.customerId, operation.dependsOn))
          tag = entityTagOf({ operationId: operation.operationId, request, principal, versions })
          if (ifNoneMatchIncludes(request.headers['if-none-match'], tag)) {
            return { status: 304, headers: { etag: tag, 'cache-control': CONDITIONAL_CACHE_CONTROL }, body: undefined }
          }
        }
        const tenant = options.tenant(upstream, principal.customerId)
        const context = { request, params: match.params, settings, principal, tenant }
        const format = operation.list && operation.method === 'GET' ? listFormatOf(request) : 'json'
        // CSV / NDJSON: every row, streamed in keyset batches (each its own short tenant read)
        const answer = format !== 'json' ? await exportListResponse(operation, format, context) : await operation.handle(context)
        return tag !== undefined && answer.status === 200 ? withHeaders(answer, { etag: tag, 'cache-control': CONDITIONAL_CACHE_CONTROL }) : answer
      }
      let response: HttpResponse
      if (readInAuthentication && operation && request.principal === undefined && (method === 'GET' || method === 'HEAD')) {
        // one round trip: the key's lookup starts the tenant's read transaction the operation's reads join
        const token = parseBearerToken(request.headers.authorization)
        const log = request.logger ?? logger
        // the ETag's versions in the same round trip, when each can be read for the current tenant
        const versions = operation.dependsOn
        const also = versions ? versionColumns(upstream, versions) : undefined
        // the tenant's data version among them: it holds for the whole request (one snapshot), so a count cache needs not read it again
        const tenantAt = also === undefined || !versions ? -1 : versions.indexOf(tenantDataVersion)
        response = await authenticatedRead(
          upstream,
          token,
          (key, row) => {
            if (!key) throw new AuthenticationFailedError('unknown or revoked token')
            return authorized(key, versions && row ? versions.map((_, i) => (row[versionColumn(i)] as string | null | undefined) ?? '') : undefined)
          },
          (error) => log.error({ err: error }, 'the commit of a read transaction failed after its response'),
          request.signal,
          also,
          tenantAt >= 0 ? versionColumn(tenantAt) : undefined,
        )
      } else {
        response = await authorized(request.principal ?? (await authenticate(request)))
      }
      return hardened(withHeaders({ ...response, route }, limitHeaders))
    } catch (error) {
      const custom = options.onError?.(error, request)
      const response = withHeaders(hardened(custom ?? errorResponse(error, request.logger ?? logger)), limitHeaders)
      return route ? { ...response, route } : response
    }
  }
  return (request) => traceHttpRequest(request, handle)
}
