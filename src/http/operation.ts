import type { ZodObject, ZodType } from 'zod'
import type { DataVersion } from './conditional/data-version.js'
import type { HttpRequest } from './http-request.js'
import type { HttpResponse } from './http-response.js'
import type { ExportRow } from './list-export-response.js'
import type { Principal } from './principal.js'

/**
 * An HTTP method the operations table serves.
 *
 * @example
 * ```ts
 * const method: HttpMethod = 'GET'
 * ```
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

/**
 * Path parameters of a matched operation. A `{id}` segment, or one named `*_id`, matches only
 * a positive safe integer (anything else is a 404, as in DRF) and lands in `ids` (and in `id`
 * for `{id}`); any other `{name}` lands in `strings`.
 *
 * @example
 * ```ts
 * // path '/projects/{id}/tasks/{task_id}/' and URL /projects/3/tasks/9/
 * context.params.id // 3
 * context.params.ids.task_id // 9
 * ```
 */
export interface RouteParams {
  /** The `{id}` of the path, or 0 when the path has none. */
  readonly id: number
  /** Every integer parameter by name (`id` and `*_id`). */
  readonly ids: Readonly<Record<string, number>>
  /** Every other parameter by name. */
  readonly strings: Readonly<Record<string, string>>
}

/**
 * Settings every operation can read (resolved from the handler's options).
 *
 * @example
 * ```ts
 * const body = await readJsonBody(context.request, context.settings.maxJsonBodyBytes)
 * ```
 */
export interface OperationSettings {
  /** The base path, such as `/api/v1`. */
  readonly basePath: string
  /** Limit of JSON bodies, bytes. */
  readonly maxJsonBodyBytes: number
}

/**
 * What a public operation (no authentication) gets.
 *
 * @example
 * ```ts
 * const health = publicOperation({ method: 'GET', path: '/health/', operationId: 'health_retrieve',
 *   responses: { 200: { description: 'Up.' } }, handle: async () => jsonResponse(200, { ok: true }) })
 * ```
 */
export interface PublicOperationContext {
  readonly request: HttpRequest
  readonly params: RouteParams
  readonly settings: OperationSettings
}

/**
 * What a tenant operation gets: the authenticated principal and its tenant scope (of the
 * type the handler's `tenant` option makes, `TenantScope` by default).
 *
 * @example
 * ```ts
 * const me = tenantOperation({ method: 'GET', path: '/me/', operationId: 'me_retrieve',
 *   responses: { 200: { description: 'The caller.' } },
 *   handle: async ({ principal }) => jsonResponse(200, { customer_id: principal.customerId }) })
 * ```
 */
export interface TenantOperationContext<Scope> extends PublicOperationContext {
  readonly principal: Principal
  readonly tenant: Scope
}

/**
 * One documented response of an operation.
 *
 * @example
 * ```ts
 * const created: OperationResponse = { description: 'The new task.', schema: TaskSchema }
 * ```
 */
export interface OperationResponse {
  readonly description: string
  /** The body's schema (JSON unless `contentType` says otherwise); none for an empty body. */
  readonly schema?: ZodType
  /** Default `application/json`. */
  readonly contentType?: string
  /** Response headers, by name. */
  readonly headers?: Readonly<Record<string, { readonly description: string; readonly schema: Readonly<Record<string, unknown>> }>>
}

/**
 * The list an operation serves, for its OpenAPI entry: the list spec's description (the same
 * object that parses the requests), the result's schema and component name.
 *
 * @example
 * ```ts
 * const list: OperationList = { spec: tasksListSpec.description, resultName: 'Task', result: TaskSchema }
 * ```
 */
export interface OperationList<Context = never> {
  /** `spec.description` of a list spec (see `defineListSpec`). */
  readonly spec: {
    readonly name?: string
    readonly parameters: readonly unknown[]
    readonly pagination: { readonly default: string; readonly styles: readonly string[] }
  }
  /** The component name of one result, such as `Task` (pages are named after it). */
  readonly resultName: string
  /** The schema of one result. */
  readonly result: ZodType
  /**
   * Every row the request's filters, search and ordering select, presented as in JSON, in
   * batches: what `Accept: text/csv`, `format=csv` and NDJSON stream (see the HTTP API guide).
   * The header row and column order are the keys of `result` (an object schema). Absent: such
   * a request answers 406. Usually `presentBatches(exportTenantList(tenant, spec, request.query), present)`.
   *
   * @example
   * ```ts
   * export: ({ tenant, request }) => presentBatches(exportTenantList(tenant, tasksListSpec, request.query), presentTask)
   * ```
   */
  readonly export?: (context: Context) => AsyncIterable<readonly ExportRow[]>
}

/**
 * Error statuses an operation may answer, documented with the standard error bodies.
 *
 * @example
 * ```ts
 * const errors: ErrorStatus[] = [400, 404, 409]
 * ```
 */
export type ErrorStatus = 400 | 401 | 403 | 404 | 406 | 409 | 413 | 415 | 422 | 429 | 503

/**
 * One operation: what routes it (method, path), who may call it (public, or the scope it
 * requires), what documents it (OpenAPI: summary, query, list, body, responses, errors), and
 * what answers it. The router and the OpenAPI generator both read this one value.
 *
 * @example
 * ```ts
 * const getTask: Operation<ProjectsScope> = tenantOperation({
 *   method: 'GET', path: '/tasks/{id}/', operationId: 'tasks_retrieve', tags: ['tasks'], summary: 'One task',
 *   responses: { 200: { description: 'The task.', schema: TaskSchema } }, errors: [404],
 *   handle: async ({ tenant, params }) => jsonResponse(200, presentTask(await tenant.read(({ tasks }) => tasks.get(params.id)))),
 * })
 * ```
 */
export interface OperationDefinition<Context> {
  readonly method: HttpMethod
  /** Relative to the base path, with a trailing slash: `/projects/{id}/tasks/`. */
  readonly path: string
  /** Unique; also the OpenAPI `operationId`. */
  readonly operationId: string
  readonly summary?: string
  readonly description?: string
  readonly tags?: readonly string[]
  /** The scope a key needs. Default `read` for GET, `write` otherwise. */
  readonly requiredScope?: string
  /** Query parameters of a non-list operation (an object schema). */
  readonly query?: ZodObject
  /** Request headers the operation reads (an object schema keyed by header name, such as `Prefer`), for its OpenAPI entry. */
  readonly headers?: ZodObject
  /** The list a GET serves: documents its query parameters and page envelopes (status 200). */
  readonly list?: OperationList<Context>
  /** The request body. */
  readonly body?: {
    readonly required?: boolean
    readonly description?: string
    /** By media type: `{ 'application/json': { schema } }`. */
    readonly content: Readonly<Record<string, { readonly schema: ZodType }>>
  }
  /** Documented responses by status (a list's 200 is derived from `list`). */
  readonly responses?: Readonly<Record<number, OperationResponse>>
  /** Error statuses besides the ones every authenticated operation has (401, 403, 429, 503). */
  readonly errors?: readonly ErrorStatus[]
  /**
   * The data versions a GET's answer depends on (tenant operations only): with them, the
   * core answers with a weak `ETag` (a hash of the versions, the tenant, the caller's scopes,
   * the URL, the normalized query and `Accept`) and `Cache-Control: private, no-cache`, and
   * answers `If-None-Match` with the current tag by `304 Not Modified` after one statement
   * (the versions, read in a tenant read transaction) without running `handle`. Usually
   * `[tenantDataVersion]`, which every committed write of the tenant changes. Documented in
   * OpenAPI (the `If-None-Match` parameter, the `ETag` header and the 304).
   */
  readonly dependsOn?: readonly DataVersion[]
  /** Hidden from the OpenAPI document (assets and the like). */
  readonly hidden?: boolean
  /** Answers the request. Throw an `UpstreamError` for a failure: it knows its status and body. */
  readonly handle: (context: Context) => Promise<HttpResponse>
}

/**
 * An operation of the table: public (no authentication, permission or throttle) or for a
 * tenant (authenticated; its handler gets the tenant scope).
 *
 * @example
 * ```ts
 * const operations: Operation<TenantScope>[] = [getTask, listTasks]
 * ```
 */
export type Operation<Scope> = PublicOperation | TenantOperation<Scope>

/**
 * An operation anyone may call: see {@link publicOperation}.
 *
 * @example
 * ```ts
 * const health: PublicOperation = publicOperation({ method: 'GET', path: '/health/', operationId: 'health_retrieve', handle })
 * ```
 */
export type PublicOperation = OperationDefinition<PublicOperationContext> & { readonly public: true }

/**
 * An operation of an authenticated tenant: see {@link tenantOperation}.
 *
 * @example
 * ```ts
 * const me: TenantOperation<TenantScope> = tenantOperation({ method: 'GET', path: '/me/', operationId: 'me_retrieve', handle })
 * ```
 */
export type TenantOperation<Scope> = OperationDefinition<TenantOperationContext<Scope>> & { readonly public: false }

/**
 * An operation for an authenticated tenant, typed for you (the scope type is checked
 * against the handler's `tenant` option).
 *
 * @example
 * ```ts
 * const me = tenantOperation<TenantScope>({ method: 'GET', path: '/me/', operationId: 'me_retrieve',
 *   responses: { 200: { description: 'The caller.' } },
 *   handle: async ({ principal }) => jsonResponse(200, { customer_id: principal.customerId }) })
 * ```
 */
export function tenantOperation<Scope>(definition: OperationDefinition<TenantOperationContext<Scope>>): TenantOperation<Scope> {
  return Object.freeze({ ...definition, public: false as const })
}

/**
 * An operation anyone may call (no authentication, permission or throttle), typed for you.
 *
 * @example
 * ```ts
 * const health = publicOperation({ method: 'GET', path: '/health/', operationId: 'health_retrieve',
 *   responses: { 200: { description: 'Up.' } }, handle: async () => jsonResponse(200, { ok: true }) })
 * ```
 */
export function publicOperation(definition: OperationDefinition<PublicOperationContext>): PublicOperation {
  return Object.freeze({ ...definition, public: true as const })
}
