import type { HttpRequest } from './http-request.js'
import type { HttpResponse } from './http-response.js'
import type { HttpServices } from '../claims/http/claims-services.js'
import type { Principal } from './principal.js'
import type { TenantScope } from '../tenancy/for-tenant.js'

/**
 * Settings operations read (resolved from {@link HttpHandlerOptions}).
 *
 * @example
 * ```ts
 * const maxBytes = context.settings.maxUploadBytes
 * ```
 */
export interface OperationSettings {
  /** The base path, such as `/api/v1`. */
  readonly basePath: string
  /** Limit of JSON bodies, bytes. */
  readonly maxJsonBodyBytes: number
  /** Limit of CSV upload bodies, bytes. */
  readonly maxUploadBytes: number
  /** Builds the OpenAPI document (`GET /schema/`). */
  readonly schemaDocument: (request: HttpRequest) => unknown
  /** Called after each drift run. */
  readonly onDriftRun: ((result: { readonly durationMs: number; readonly created: boolean }) => void) | undefined
}

/**
 * Path parameters of a matched route: ids as numbers, other parameters as strings.
 *
 * @example
 * ```ts
 * const upload = await tenant.read(({ uploads }) => uploads.getById(context.params.id))
 * ```
 */
export interface RouteParams {
  /** The `{id}` of the path (a positive safe integer), or 0 when the route has none. */
  readonly id: number
  /** The `{asset}` of the path, or `''`. */
  readonly asset: string
}

/**
 * What a public operation (no authentication) gets.
 *
 * @example
 * ```ts
 * const health = publicOperation('health_retrieve', async () => jsonResponse(200, { ok: true }))
 * ```
 */
export interface PublicOperationContext {
  readonly request: HttpRequest
  readonly params: RouteParams
  readonly settings: OperationSettings
}

/**
 * What a tenant operation gets: the authenticated principal and its tenant scope.
 *
 * @example
 * ```ts
 * const me = tenantOperation('me_retrieve', async ({ principal }) => jsonResponse(200, { customer_id: principal.customerId }))
 * ```
 */
export interface TenantOperationContext extends PublicOperationContext {
  readonly principal: Principal
  readonly tenant: TenantScope
  readonly services: HttpServices
}

/**
 * One operation of a route: a method's handler.
 *
 * @example
 * ```ts
 * const me: Operation = tenantOperation('me_retrieve', async ({ principal }) => jsonResponse(200, { customer_id: principal.customerId }))
 * ```
 */
export type Operation =
  | { readonly operationId: string; readonly public: true; readonly handle: (context: PublicOperationContext) => Promise<HttpResponse> }
  | { readonly operationId: string; readonly public?: false; readonly handle: (context: TenantOperationContext) => Promise<HttpResponse> }

/**
 * An operation that needs an authenticated principal (the usual kind), typed for you.
 *
 * @example
 * ```ts
 * const me = tenantOperation('me_retrieve', async ({ principal }) => jsonResponse(200, { customer_id: principal.customerId }))
 * createHttpHandler({ upstream, routes: [{ path: '/me/', operations: { GET: me } }] })
 * ```
 */
export function tenantOperation(operationId: string, handle: (context: TenantOperationContext) => Promise<HttpResponse>): Operation {
  return { operationId, handle }
}

/**
 * An operation anyone may call (no authentication, permission or throttle), typed for you.
 *
 * @example
 * ```ts
 * const health = publicOperation('health_retrieve', async () => jsonResponse(200, { ok: true }))
 * ```
 */
export function publicOperation(operationId: string, handle: (context: PublicOperationContext) => Promise<HttpResponse>): Operation {
  return { operationId, public: true, handle }
}

/**
 * A path template (relative to the base path, `{id}` for a numeric id) and its operations per method.
 *
 * @example
 * ```ts
 * createHttpHandler({ upstream, routes: [{ path: '/me/', operations: { GET: me } }] })
 * ```
 */
export interface RouteDefinition {
  /** Such as `/uploads/{id}/claim_records/`. */
  readonly path: string
  /** Operations by upper-case method. */
  readonly operations: Readonly<Partial<Record<string, Operation>>>
}

/**
 * A matched route.
 *
 * @example
 * ```ts
 * const match = matchRoute(upstreamRoutes, '/claims/12/') // { route, params: { id: 12, asset: '' } }
 * ```
 */
export interface RouteMatch {
  readonly route: RouteDefinition
  readonly params: RouteParams
}

const ID = /^[0-9]{1,16}$/

/**
 * Finds the route of a path (relative to the base path). Trailing slash optional; literal
 * segments win over parameters; an `{id}` matches only a positive safe integer, so
 * `/uploads/abc/` matches nothing (404, as in DRF, never a 500).
 *
 * @example
 * ```ts
 * matchRoute(routes, '/uploads/12') // { route: <'/uploads/{id}/'>, params: { id: 12, asset: '' } }
 * matchRoute(routes, '/uploads/x/') // undefined
 * ```
 */
export function matchRoute(routes: readonly RouteDefinition[], path: string): RouteMatch | undefined {
  const segments = path.split('/').filter((s) => s.length > 0)
  candidates: for (const route of routes) {
    const template = route.path.split('/').filter((s) => s.length > 0)
    if (template.length !== segments.length) continue
    let id = 0
    let asset = ''
    for (let i = 0; i < template.length; i++) {
      const want = template[i]!
      const got = segments[i]!
      if (want === '{id}') {
        if (!ID.test(got)) continue candidates
        const n = Number(got)
        if (!Number.isSafeInteger(n) || n < 1) continue candidates
        id = n
      } else if (want.startsWith('{')) {
        asset = got
      } else if (want !== got) {
        continue candidates
      }
    }
    return { route, params: { id, asset } }
  }
  return undefined
}
