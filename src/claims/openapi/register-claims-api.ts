import type { OpenAPIRegistry, ResponseConfig, RouteConfig } from '@asteasolutions/zod-to-openapi'
import { z, type ZodType } from 'zod'
import { ErrorDetailSchema, IngestionFailedSchema, IngestionRowErrorSchema, ValidationErrorBodySchema } from '../../openapi/error-schemas.js'
import type { ListDescription } from '../../openapi/list-description.js'
import { listQuerySchema } from '../../openapi/list-query-schema.js'
import { pageSchemaOf } from '../../openapi/page-schemas.js'
import { driftParamsSchema } from '../drift/drift-params-schema.js'
import { uploadStatisticsQuerySchema } from '../ingestion/upload-statistics-query.js'
import { claimsListSpec, uploadClaimsListSpec } from '../lists/claims-list-spec.js'
import { driftEventsListSpec, driftReportsListSpec } from '../lists/drift-list-specs.js'
import { failedUploadsListSpec, uploadsListSpec } from '../lists/uploads-list-spec.js'
import { listDescriptionOf } from '../../openapi/list-description-of.js'
import {
  ClaimSchema,
  DriftEventSchema,
  DriftReportDetailSchema,
  DriftReportSchema,
  UploadSchema,
  UploadStatisticsSchema,
} from './resource-schemas.js'

/**
 * Options of {@link registerUpstreamApi} and {@link upstreamOpenApiFragment}.
 *
 * @example
 * ```ts
 * const options: UpstreamOpenApiOptions = { basePath: '/claims-api', securitySchemeName: 'claimsBearer' }
 * ```
 */
export interface UpstreamOpenApiOptions {
  /** The prefix of every path. Default `/api/v1`. */
  readonly basePath?: string
  /** The name of the bearer security scheme component. Default `bearerAuth`. */
  readonly securitySchemeName?: string
  /** The tag prefix of the operations (`uploads`, `claims`, `drift`). Default none. */
  readonly tagPrefix?: string
}

type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 429 | 503

const ERROR_TEXT: Record<Exclude<ErrorStatus, 400>, string> = {
  401: 'Missing, unknown, revoked or malformed bearer token.',
  403: 'The key lacks the scope of this operation (`read` for GET, `write` for POST).',
  404: 'No such row for this customer (another customer\'s id answers the same), or a page past the end.',
  409: 'A lock or uniqueness conflict; retry.',
  413: 'The body is larger than the limit.',
  415: 'Wrong content type.',
  429: 'Throttled; retry after `Retry-After` seconds.',
  503: 'The database is unavailable or retries were exhausted; retry later.',
}

const json = (schema: ZodType) => ({ 'application/json': { schema } })

function errorResponse(status: ErrorStatus): ResponseConfig {
  if (status === 400) {
    return { description: 'Bad input, in Django REST Framework\'s shape: messages per parameter.', content: json(ValidationErrorBodySchema) }
  }
  const response: ResponseConfig = { description: ERROR_TEXT[status], content: json(ErrorDetailSchema) }
  if (status === 401) {
    return { ...response, headers: { 'WWW-Authenticate': { description: 'Always `Bearer`.', schema: { type: 'string' } } } }
  }
  if (status === 429) {
    return { ...response, headers: { 'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer', minimum: 0 } } } }
  }
  return response
}

function errors(...statuses: ErrorStatus[]): Record<string, ResponseConfig> {
  return Object.fromEntries(statuses.map((s) => [String(s), errorResponse(s)]))
}

const READ_ERRORS: ErrorStatus[] = [401, 403, 429, 503]
const UploadErrorsSchema = z
  .strictObject({
    detail: z.string().nullable().meta({ description: 'The upload\'s `error_message`; null unless it failed.' }),
    upload: UploadSchema,
    errors: z.array(IngestionRowErrorSchema).max(100),
  })
  .meta({ id: 'UploadErrors', description: 'An upload and the row errors its failure recorded.' })
const idParams = z.object({ id: z.number().int().min(1).meta({ param: { description: 'The row id.' } }) })

/**
 * Registers every operation of the upstream HTTP API (CONTRACT section 3) into an
 * `OpenAPIRegistry` (zod-to-openapi) the app owns: list operations with their query parameters
 * (from the same descriptions that parse requests), page envelopes per pagination style,
 * error bodies, and the bearer security scheme. The app then generates its one document
 * with its own routes beside ours.
 *
 * @example
 * ```ts
 * import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi'
 * import { registerUpstreamApi } from 'upstream'
 * const registry = new OpenAPIRegistry()
 * registerUpstreamApi(registry, { basePath: '/api/v1' })
 * registry.registerPath({ method: 'get', path: '/health', responses: { 200: { description: 'OK' } } })
 * const doc = new OpenApiGeneratorV31(registry.definitions).generateDocument({ openapi: '3.1.0', info: { title: 'My API', version: '1' } })
 * ```
 */
export function registerUpstreamApi(registry: OpenAPIRegistry, options: UpstreamOpenApiOptions = {}): OpenAPIRegistry {
  const base = (options.basePath ?? '/api/v1').replace(/\/+$/, '')
  const schemeName = options.securitySchemeName ?? 'bearerAuth'
  const tag = (name: string) => `${options.tagPrefix ?? ''}${name}`
  const security = [{ [schemeName]: [] }]

  registry.registerComponent('securitySchemes', schemeName, {
    type: 'http',
    scheme: 'bearer',
    description: 'An API key of the customer: `Authorization: Bearer <token>`. Scope `read` for GET, `write` for POST.',
  })

  const route = (config: Omit<RouteConfig, 'security' | 'path'> & { path: string }) =>
    registry.registerPath({ ...config, path: `${base}${config.path}`, security })

  const list = (
    path: string,
    operationId: string,
    tags: string[],
    summary: string,
    description: ListDescription,
    resultName: string,
    result: ZodType,
    withIdParam = false,
  ) => {
    const pages = description.pagination.map((style) =>
      pageSchemaOf(style, resultName, result, description.envelopes?.find((e) => e.style === style)?.keys, description.name ?? operationId),
    )
    const [first] = pages
    if (!first) throw new Error(`List ${operationId} has no pagination style.`)
    route({
      method: 'get',
      path,
      operationId,
      tags,
      summary,
      request: { query: listQuerySchema(description), ...(withIdParam ? { params: idParams } : {}) },
      responses: {
        200: { description: 'One page.', content: json(pages.length > 1 ? z.union(pages) : first) },
        ...errors(400, ...READ_ERRORS, 404),
      },
    })
  }

  const retrieve = (path: string, operationId: string, tags: string[], summary: string, schema: ZodType) =>
    route({
      method: 'get',
      path,
      operationId,
      tags,
      summary,
      request: { params: idParams },
      responses: { 200: { description: 'The row.', content: json(schema) }, ...errors(...READ_ERRORS, 404) },
    })

  const uploads = [tag('uploads')]
  const claims = [tag('claims')]
  const drift = [tag('drift')]
  const lists = {
    uploads: listDescriptionOf(uploadsListSpec.description),
    recentWithErrors: listDescriptionOf(failedUploadsListSpec.description),
    uploadClaimRecords: listDescriptionOf(uploadClaimsListSpec.description),
    claims: listDescriptionOf(claimsListSpec.description),
    driftReports: listDescriptionOf(driftReportsListSpec.description),
    driftEvents: listDescriptionOf(driftEventsListSpec.description),
  }
  // The main claims list names the plain `PageNumberPage_Claim`; an upload's claims, if its
  // envelope differs (another count strategy), gets a suffixed name.
  for (const style of lists.claims.pagination) {
    pageSchemaOf(style, 'Claim', ClaimSchema, lists.claims.envelopes?.find((e) => e.style === style)?.keys, lists.claims.name)
  }

  list('/uploads/', 'uploads_list', uploads, 'List uploads', lists.uploads, 'Upload', UploadSchema)
  route({
    method: 'post',
    path: '/uploads/',
    operationId: 'uploads_create',
    tags: uploads,
    summary: 'Upload a CSV file of claims',
    description:
      'Streams the CSV body into a new upload, all or nothing: either every row lands (201, status `success`) or none does (422, status `failed`, first 100 row errors).\n\n' +
      'With `Prefer: respond-async` (where the server runs background jobs), the body is stored and the answer is 202 at once, with the upload (status `pending`), ' +
      '`Location` of the upload and `Preference-Applied: respond-async`; a worker then loads it, all or nothing, and the upload ends `success` or `failed` ' +
      '(its row errors at `GET /uploads/{id}/errors/`). A server without background jobs ignores the preference and answers as without it.',
    request: {
      query: z.object({ filename: z.string().min(1).meta({ param: { description: 'The file\'s name, as stored on the upload.' } }) }),
      headers: z.object({
        Prefer: z
          .string()
          .optional()
          .meta({
            param: { description: 'RFC 7240. `respond-async`: answer 202 once the file is stored, and load it in the background.' },
            example: 'respond-async',
          }),
      }),
      body: {
        required: true,
        description:
          'CSV with a header row naming claim_number, payer_name, cpt_code, service_date, billed_amount, allowed_amount, paid_amount, status, denial_reason (any order).',
        content: { 'text/csv': { schema: z.string().meta({ contentMediaType: 'text/csv' }) } },
      },
    },
    responses: {
      201: { description: 'Every row landed.', content: json(UploadSchema) },
      202: {
        description:
          'Accepted for background loading (`Prefer: respond-async`): the body is stored and the upload is `pending`. Poll `Location` until the status is `success` or `failed`.',
        headers: {
          Location: { description: 'The absolute URL of the upload.', schema: { type: 'string', format: 'uri' } },
          'Preference-Applied': { description: 'Always `respond-async`.', schema: { type: 'string', enum: ['respond-async'] } },
        },
        content: json(UploadSchema),
      },
      ...errors(400, 401, 403, 409, 413, 415),
      422: { description: 'No row landed: the file has row errors.', content: json(IngestionFailedSchema) },
      ...errors(429, 503),
    },
  })
  list(
    '/uploads/recent_with_errors/',
    'uploads_recent_with_errors_list',
    uploads,
    'List failed uploads, newest first',
    lists.recentWithErrors,
    'Upload',
    UploadSchema,
  )
  route({
    method: 'get',
    path: '/uploads/statistics/',
    operationId: 'uploads_statistics_retrieve',
    tags: uploads,
    summary: 'Upload counts and mean processing time',
    request: { query: uploadStatisticsQuerySchema },
    responses: { 200: { description: 'The statistics.', content: json(UploadStatisticsSchema) }, ...errors(400, ...READ_ERRORS) },
  })
  retrieve('/uploads/{id}/', 'uploads_retrieve', uploads, 'One upload', UploadSchema)
  route({
    method: 'get',
    path: '/uploads/{id}/errors/',
    operationId: 'uploads_errors_retrieve',
    tags: uploads,
    summary: 'One upload with its row errors',
    description:
      'The upload, its `error_message` as `detail`, and the row errors its failure recorded (the first 100, in file order): what a synchronous upload answers in its 422, for uploads loaded in the background. Empty `errors` unless the upload failed on its rows.',
    request: { params: idParams },
    responses: { 200: { description: 'The upload and its row errors.', content: json(UploadErrorsSchema) }, ...errors(...READ_ERRORS, 404) },
  })
  list(
    '/uploads/{id}/claim_records/',
    'uploads_claim_records_list',
    uploads,
    'The claims of one upload, by claim number',
    lists.uploadClaimRecords,
    'Claim',
    ClaimSchema,
    true,
  )

  list('/claims/', 'claims_list', claims, 'List claims', lists.claims, 'Claim', ClaimSchema)
  retrieve('/claims/{id}/', 'claims_retrieve', claims, 'One claim', ClaimSchema)

  route({
    method: 'post',
    path: '/drift/reports/',
    operationId: 'drift_reports_create',
    tags: drift,
    summary: 'Run drift detection',
    description:
      'Compares the current window with the baseline window per payer (or payer and CPT code). Concurrent requests with the same parameters yield one report; `force: true` replaces it.',
    request: { body: { required: false, content: json(driftParamsSchema) } },
    responses: {
      200: { description: 'The same report already existed.', content: json(DriftReportDetailSchema) },
      201: { description: 'A new report.', content: json(DriftReportDetailSchema) },
      ...errors(400, 401, 403, 409, 415, 429, 503),
    },
  })
  list('/drift/reports/', 'drift_reports_list', drift, 'List drift reports', lists.driftReports, 'DriftReport', DriftReportSchema)
  retrieve('/drift/reports/{id}/', 'drift_reports_retrieve', drift, 'One drift report with its events', DriftReportDetailSchema)
  list('/drift/events/', 'drift_events_list', drift, 'List drift events', lists.driftEvents, 'DriftEvent', DriftEventSchema)
  return registry
}
