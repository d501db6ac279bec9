import type { OpenAPIRegistry, ResponseConfig, RouteConfig } from '@asteasolutions/zod-to-openapi'
import { z, type ZodObject, type ZodType } from 'zod'
import type { ErrorStatus, Operation } from '../http/index.js'
import { ErrorDetailSchema, ValidationErrorBodySchema } from './error-schemas.js'
import { listDescriptionOf, type ListSpecDescriptionLike } from './list-description-of.js'
import { listQuerySchema } from './list-query-schema.js'
import { pageSchemaOf } from './page-schemas.js'
import { CONDITIONAL_RESPONSE_HEADERS, RATE_LIMIT_RESPONSE_HEADERS, type ResponseHeaderDocs } from './response-headers.js'

/**
 * Options of {@link registerOperations}.
 *
 * @example
 * ```ts
 * const options: RegisterOperationsOptions = { basePath: '/api/v1', securitySchemeName: 'bearerAuth' }
 * ```
 */
export interface RegisterOperationsOptions {
  /** The prefix of every path. Default `/api/v1`. */
  readonly basePath?: string
  /** The name of the bearer security scheme component. Default `bearerAuth`. */
  readonly securitySchemeName?: string
  /** Prefixed to every tag. Default none. */
  readonly tagPrefix?: string
}

const ERROR_TEXT: Record<Exclude<ErrorStatus, 400 | 422>, string> = {
  401: 'Missing, unknown, revoked or malformed bearer token.',
  403: 'The key lacks the scope of this operation.',
  404: 'No such row for this customer (another customer\'s id answers the same), or a page past the end.',
  406: 'This list has no export: `format=csv`/`ndjson` (or an `Accept` preferring them) cannot be answered.',
  409: 'A lock or uniqueness conflict; retry.',
  413: 'The body is larger than the limit.',
  415: 'Wrong content type.',
  429: 'Throttled; retry after `Retry-After` seconds. Carries `RateLimit-Limit`, `RateLimit-Remaining` (0) and `RateLimit-Reset`.',
  503: 'The database is unavailable or retries were exhausted; retry later.',
}

const json = (schema: ZodType) => ({ 'application/json': { schema } })

function errorResponse(status: ErrorStatus): ResponseConfig {
  if (status === 400) {
    return { description: 'Bad input, in Django REST Framework\'s shape: messages per parameter.', content: json(ValidationErrorBodySchema) }
  }
  if (status === 422) return { description: 'The request was understood but cannot be processed.', content: json(ErrorDetailSchema) }
  const response: ResponseConfig = { description: ERROR_TEXT[status], content: json(ErrorDetailSchema) }
  if (status === 401) return { ...response, headers: { 'WWW-Authenticate': { description: 'Always `Bearer`.', schema: { type: 'string' } } } }
  if (status === 429) {
    return {
      ...response,
      headers: { 'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer', minimum: 0 } }, ...RATE_LIMIT_RESPONSE_HEADERS },
    }
  }
  if (status === 503) {
    return { ...response, headers: { 'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer', minimum: 0 } } } }
  }
  return response
}

/** `headers` plus `extra` on a response (its own headers win). */
function withHeaderDocs(response: ResponseConfig, extra: ResponseHeaderDocs): ResponseConfig {
  const own = response.headers && !(response.headers instanceof z.ZodObject) ? response.headers : {}
  return { ...response, headers: { ...extra, ...own } }
}

const IF_NONE_MATCH = z
  .string()
  .optional()
  .meta({ param: { description: 'An `ETag` of an earlier answer (or several, comma-separated): while it is current, the answer is 304 with no body.' } })

const FORMAT_PARAM = z
  .enum(['json', 'csv', 'ndjson'])
  .optional()
  .meta({
    param: {
      description:
        'The response format, overriding `Accept` (as Django REST Framework\'s URL format override): `json` (a page, the default), `csv` or `ndjson` (every row, streamed; paging parameters are then a 400).',
    },
  })

/** The export media types of a list's 200: CSV (a header row of the result's field names) and NDJSON (one result per line). */
function exportContent(result: ZodType): Record<string, { schema: ZodType }> {
  const shape = (result as { shape?: unknown }).shape
  const fields = typeof shape === 'object' && shape !== null ? Object.keys(shape).join(',') : undefined
  return {
    'text/csv': {
      schema: z.string().meta({
        description: `UTF-8 CSV: a header row of the JSON field names${fields ? ` (\`${fields}\`)` : ''}, then one line per row with each value as JSON writes it (amounts as exact strings, null as an empty field).`,
      }),
    },
    'application/x-ndjson': {
      schema: z.string().meta({ description: 'One JSON object per line, each exactly as a result of the JSON page.' }),
    },
  }
}

const TENANT_ERRORS: readonly ErrorStatus[] = [401, 403, 429, 503]
const isIdName = (name: string) => name === 'id' || name.endsWith('_id')

function pathParams(path: string): ZodObject | undefined {
  const names = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!)
  if (names.length === 0) return undefined
  return z.object(
    Object.fromEntries(
      names.map((name) => [
        name,
        isIdName(name) ? z.number().int().min(1).meta({ param: { description: 'The row id.' } }) : z.string().meta({ param: { description: name } }),
      ]),
    ),
  )
}

/**
 * Registers operations of an operations table (the same values the HTTP core routes) into an
 * `OpenAPIRegistry` (zod-to-openapi) the app owns: path and query parameters, list parameters
 * and page envelopes from the list specs that parse the requests, request bodies, responses,
 * the standard error bodies and the bearer security scheme. Public and hidden operations are
 * left out of security or out of the document as they declare.
 *
 * @example
 * ```ts
 * import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi'
 * const registry = registerOperations(new OpenAPIRegistry(), [...claimsOperations(), ...myOperations])
 * const doc = new OpenApiGeneratorV31(registry.definitions).generateDocument({ openapi: '3.1.0', info: { title: 'My API', version: '1' } })
 * ```
 */
export function registerOperations<Scope>(
  registry: OpenAPIRegistry,
  operations: readonly Operation<Scope>[],
  options: RegisterOperationsOptions = {},
): OpenAPIRegistry {
  const base = (options.basePath ?? '/api/v1').replace(/\/+$/, '')
  const schemeName = options.securitySchemeName ?? 'bearerAuth'
  const security = [{ [schemeName]: [] }]
  const visible = operations.filter((o) => !o.hidden)
  if (visible.some((o) => !o.public)) {
    registry.registerComponent('securitySchemes', schemeName, {
      type: 'http',
      scheme: 'bearer',
      description: 'An API key of the customer: `Authorization: Bearer <token>`. Scope `read` for GET, `write` otherwise.',
    })
  }
  for (const operation of visible) {
    const responses: Record<string, ResponseConfig> = {}
    if (operation.list) {
      const description = listDescriptionOf(operation.list.spec as ListSpecDescriptionLike)
      const pages = description.pagination.map((style) =>
        pageSchemaOf(
          style,
          operation.list!.resultName,
          operation.list!.result,
          description.envelopes?.find((e) => e.style === style)?.keys,
          description.name ?? operation.operationId,
        ),
      )
      const [first] = pages
      if (!first) throw new Error(`List ${operation.operationId} has no pagination style.`)
      responses['200'] = operation.list.export
        ? {
            description:
              'One page (JSON); or, with `format=csv`/`Accept: text/csv` or `format=ndjson`/`Accept: application/x-ndjson`, every row the filters, search and ordering select, unpaginated, streamed.',
            content: { ...json(pages.length > 1 ? z.union(pages) : first), ...exportContent(operation.list.result) },
          }
        : { description: 'One page.', content: json(pages.length > 1 ? z.union(pages) : first) }
    }
    for (const [status, response] of Object.entries(operation.responses ?? {})) {
      responses[status] = {
        description: response.description,
        ...(response.schema ? { content: { [response.contentType ?? 'application/json']: { schema: response.schema } } } : {}),
        ...(response.headers ? { headers: response.headers } : {}),
      }
    }
    const statuses = new Set<ErrorStatus>([
      ...(operation.list ? [400 as const, 404 as const] : []),
      ...(operation.list && !operation.list.export ? [406 as const] : []),
      ...(operation.errors ?? []),
    ])
    if (!operation.public) for (const s of TENANT_ERRORS) statuses.add(s)
    for (const status of [...statuses].sort((a, b) => a - b)) responses[String(status)] ??= errorResponse(status)

    const conditional = (operation.dependsOn?.length ?? 0) > 0 && operation.method === 'GET'
    if (conditional) {
      for (const status of Object.keys(responses).filter((s) => s === '200')) responses[status] = withHeaderDocs(responses[status]!, CONDITIONAL_RESPONSE_HEADERS)
      responses['304'] = {
        description: 'Not modified: the `If-None-Match` tag is current (no write of the tenant since). No body.',
        headers: CONDITIONAL_RESPONSE_HEADERS,
      }
    }
    if (!operation.public) {
      for (const status of Object.keys(responses).filter((s) => /^[23]/.test(s))) responses[status] = withHeaderDocs(responses[status]!, RATE_LIMIT_RESPONSE_HEADERS)
    }
    const headers = conditional ? z.object({ ...operation.headers?.shape, 'If-None-Match': IF_NONE_MATCH }) : operation.headers
    const params = pathParams(operation.path)
    const listQuery = operation.list ? listQuerySchema(listDescriptionOf(operation.list.spec as ListSpecDescriptionLike)) : undefined
    const query = listQuery && operation.list?.export ? listQuery.extend({ format: FORMAT_PARAM }) : (listQuery ?? operation.query)
    const config: RouteConfig = {
      method: operation.method.toLowerCase() as RouteConfig['method'],
      path: `${base}${operation.path}`,
      operationId: operation.operationId,
      ...(operation.summary ? { summary: operation.summary } : {}),
      ...(operation.description ? { description: operation.description } : {}),
      ...(operation.tags ? { tags: operation.tags.map((t) => `${options.tagPrefix ?? ''}${t}`) } : {}),
      request: {
        ...(query ? { query } : {}),
        ...(params ? { params } : {}),
        ...(headers ? { headers } : {}),
        ...(operation.body ? { body: { required: operation.body.required ?? true, description: operation.body.description, content: operation.body.content } } : {}),
      },
      responses,
      ...(operation.public ? {} : { security }),
    }
    registry.registerPath(config)
  }
  return registry
}
