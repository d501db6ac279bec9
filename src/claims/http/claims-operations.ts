import { Readable } from 'node:stream'
import { z } from 'zod'
import { ValidationError } from '../../errors/index.js'
import { headerValue, jsonResponse, mediaTypeOf, presentListEnvelope, readJsonBody, RequestBodyTooLargeError, tenantOperation, UnsupportedMediaTypeError, type HttpResponse, type JsonValue, type TenantOperation, type TenantOperationContext } from '../../http/index.js'
import type { CountCache, CursorSecret } from '../../list-query/index.js'
import { listDescriptionOf, pageSchemaOf } from '../../openapi/index.js'
import type { ClaimsTenantScope } from '../core/index.js'
import type { DetectDriftOptions } from '../drift/index.js'
import { driftParamsSchema } from '../drift/index.js'
import { uploadStatisticsQuerySchema } from '../ingestion/index.js'
import { claimsListSpec, driftEventsListSpec, driftReportsListSpec, failedUploadsListSpec, uploadClaimsListSpec, uploadsListSpec } from '../lists/index.js'
import { ClaimSchema, DriftEventSchema, DriftReportDetailSchema, DriftReportSchema, IngestionFailedSchema, UploadSchema, UploadStatisticsSchema } from '../openapi/index.js'
import type { ClaimsServices } from './claims-services.js'
import { defaultClaimsServices } from './default-claims-services.js'
import { presentClaim } from '../presenters/index.js'
import { presentDriftEvent } from '../presenters/index.js'
import { presentDriftReport, presentDriftReportDetail } from '../presenters/index.js'
import { presentUploadStatistics } from '../presenters/index.js'
import { presentUpload } from '../presenters/index.js'

/**
 * Options of {@link claimsOperations}.
 *
 * @example
 * ```ts
 * const operations = claimsOperations({ maxUploadBytes: 50 * 1024 * 1024, drift: { subscribers } })
 * ```
 */
export interface ClaimsOperationsOptions {
  /** Replaces some of the services the operations call (lists, ingestion, drift). */
  readonly services?: Partial<ClaimsServices>
  /** Options of the drift service's runs: subscribers called after each new report. */
  readonly drift?: Pick<DetectDriftOptions, 'subscribers' | 'onSubscriberError' | 'transaction'>
  /** Called after each drift run (for metrics). */
  readonly onDriftRun?: (result: { readonly durationMs: number; readonly created: boolean }) => void
  /** Limit of CSV upload bodies. Default 100 MiB. */
  readonly maxUploadBytes?: number
  /** Signs and verifies list cursors: give every instance the same secret. Default: random bytes per process. */
  readonly cursorSecret?: CursorSecret
  /** The lists' count cache (`createMemoryCountCache`, `createRedisCountCache`). Default: in memory per database; `false` for none. */
  readonly countCache?: CountCache | false
}

type Context = TenantOperationContext<ClaimsTenantScope>
const ok = (body: JsonValue, status = 200): HttpResponse => jsonResponse(status, body)
const json = <T extends z.ZodType>(schema: T) => ({ 'application/json': { schema } })

/**
 * The claims API as one operations table: each operation's route, scope, OpenAPI entry
 * (parameters from the same list specs and schemas that parse requests) and handler in one
 * value. Give it to `createHttpHandler` (with `tenant: claimsTenant`) and it is routed and
 * documented at once; add the app's own operations beside it.
 *
 * @example
 * ```ts
 * const handle = createHttpHandler({ upstream, tenant: claimsTenant, operations: [...claimsOperations(), ...myOperations] })
 * ```
 */
export function claimsOperations(options: ClaimsOperationsOptions = {}): readonly TenantOperation<ClaimsTenantScope>[] {
  const services: ClaimsServices = { ...defaultClaimsServices(options.drift), ...options.services }
  const maxUploadBytes = options.maxUploadBytes ?? 100 * 1024 * 1024
  const listOptions = (c: Context) => ({ url: c.request.url, cursorSecret: options.cursorSecret, countCache: options.countCache })
  const op = tenantOperation<ClaimsTenantScope>
  const uploads = ['uploads']
  const claims = ['claims']
  const drift = ['drift']
  // The main claims list names the plain `PageNumberPage_Claim`; an upload's claims, if its
  // envelope differs (another count strategy), gets a suffixed name: name the main one first.
  const claimsList = listDescriptionOf(claimsListSpec.description)
  for (const style of claimsList.pagination) {
    pageSchemaOf(style, 'Claim', ClaimSchema, claimsList.envelopes?.find((e) => e.style === style)?.keys, claimsList.name)
  }

  return Object.freeze([
    op({
      method: 'GET',
      path: '/uploads/',
      operationId: 'uploads_list',
      tags: uploads,
      summary: 'List uploads',
      list: { spec: uploadsListSpec.description, resultName: 'Upload', result: UploadSchema },
      handle: async (c) => ok(presentListEnvelope(await services.listUploads(c.tenant, c.request.query, listOptions(c)), presentUpload)),
    }),
    op({
      method: 'POST',
      path: '/uploads/',
      operationId: 'uploads_create',
      tags: uploads,
      summary: 'Upload a CSV file of claims',
      description:
        'Streams the CSV body into a new upload, all or nothing: either every row lands (201, status `success`) or none does (422, status `failed`, first 100 row errors).',
      query: z.object({ filename: z.string().min(1).meta({ param: { description: 'The file\'s name, as stored on the upload.' } }) }),
      body: {
        required: true,
        description:
          'CSV with a header row naming claim_number, payer_name, cpt_code, service_date, billed_amount, allowed_amount, paid_amount, status, denial_reason (any order).',
        content: { 'text/csv': { schema: z.string().meta({ contentMediaType: 'text/csv' }) } },
      },
      responses: {
        201: { description: 'Every row landed.', schema: UploadSchema },
        422: { description: 'No row landed: the file has row errors.', schema: IngestionFailedSchema },
      },
      errors: [400, 409, 413, 415],
      handle: async (c) => {
        const filenames = c.request.query.getAll('filename')
        const filename = filenames[0]?.trim() ?? ''
        if (filenames.length > 1) throw new ValidationError({ filename: ['Give one filename.'] })
        if (filename === '') throw new ValidationError({ filename: ['This field is required.'] })
        if (filename.length > 255) throw new ValidationError({ filename: ['Ensure this field has no more than 255 characters.'] })
        const mediaType = mediaTypeOf(c.request.headers)
        if (mediaType !== 'text/csv') throw new UnsupportedMediaTypeError(mediaType)
        const declared = Number(headerValue(c.request.headers['content-length']) ?? NaN)
        if (Number.isFinite(declared) && declared > maxUploadBytes) throw new RequestBodyTooLargeError(maxUploadBytes)
        const body = c.request.body ?? Readable.from([])
        const upload = await services.ingestUpload(c.tenant, { filename, body, maxBytes: maxUploadBytes })
        return ok(presentUpload(upload), 201)
      },
    }),
    op({
      method: 'GET',
      path: '/uploads/recent_with_errors/',
      operationId: 'uploads_recent_with_errors_list',
      tags: uploads,
      summary: 'List failed uploads, newest first',
      list: { spec: failedUploadsListSpec.description, resultName: 'Upload', result: UploadSchema },
      handle: async (c) => ok(presentListEnvelope(await services.listFailedUploads(c.tenant, c.request.query, listOptions(c)), presentUpload)),
    }),
    op({
      method: 'GET',
      path: '/uploads/statistics/',
      operationId: 'uploads_statistics_retrieve',
      tags: uploads,
      summary: 'Upload counts and mean processing time',
      query: uploadStatisticsQuerySchema,
      responses: { 200: { description: 'The statistics.', schema: UploadStatisticsSchema } },
      errors: [400],
      handle: async (c) => ok(presentUploadStatistics(await services.uploadStatistics(c.tenant, c.request.query))),
    }),
    op({
      method: 'GET',
      path: '/uploads/{id}/',
      operationId: 'uploads_retrieve',
      tags: uploads,
      summary: 'One upload',
      responses: { 200: { description: 'The row.', schema: UploadSchema } },
      errors: [404],
      handle: async (c) => ok(presentUpload(await c.tenant.read(({ uploads }) => uploads.getById(c.params.id)))),
    }),
    op({
      method: 'GET',
      path: '/uploads/{id}/claim_records/',
      operationId: 'uploads_claim_records_list',
      tags: uploads,
      summary: 'The claims of one upload, by claim number',
      list: { spec: uploadClaimsListSpec.description, resultName: 'Claim', result: ClaimSchema },
      // the list service answers 404 for a missing (or another tenant's) upload
      handle: async (c) =>
        ok(presentListEnvelope(await services.listUploadClaims(c.tenant, c.params.id, c.request.query, listOptions(c)), presentClaim)),
    }),
    op({
      method: 'GET',
      path: '/claims/',
      operationId: 'claims_list',
      tags: claims,
      summary: 'List claims',
      list: { spec: claimsListSpec.description, resultName: 'Claim', result: ClaimSchema },
      handle: async (c) => ok(presentListEnvelope(await services.listClaims(c.tenant, c.request.query, listOptions(c)), presentClaim)),
    }),
    op({
      method: 'GET',
      path: '/claims/{id}/',
      operationId: 'claims_retrieve',
      tags: claims,
      summary: 'One claim',
      responses: { 200: { description: 'The row.', schema: ClaimSchema } },
      errors: [404],
      handle: async (c) => ok(presentClaim(await c.tenant.read(({ claims }) => claims.getById(c.params.id)))),
    }),
    op({
      method: 'POST',
      path: '/drift/reports/',
      operationId: 'drift_reports_create',
      tags: drift,
      summary: 'Run drift detection',
      description:
        'Compares the current window with the baseline window per payer (or payer and CPT code). Concurrent requests with the same parameters yield one report; `force: true` replaces it.',
      body: { required: false, content: json(driftParamsSchema) },
      responses: {
        200: { description: 'The same report already existed.', schema: DriftReportDetailSchema },
        201: { description: 'A new report.', schema: DriftReportDetailSchema },
      },
      errors: [400, 409, 415],
      handle: async (c) => {
        const body = await readJsonBody(c.request, c.settings.maxJsonBodyBytes)
        if (body === null || typeof body !== 'object' || Array.isArray(body)) {
          const got = body === null ? 'null' : Array.isArray(body) ? 'list' : typeof body
          throw new ValidationError({ non_field_errors: [`Invalid data. Expected a dictionary, but got ${got}.`] })
        }
        const result = await services.detectDrift(c.tenant, body)
        options.onDriftRun?.({ durationMs: Number(result.report.duration_ms), created: result.created })
        return ok(presentDriftReportDetail(result.report, result.events), result.created ? 201 : 200)
      },
    }),
    op({
      method: 'GET',
      path: '/drift/reports/',
      operationId: 'drift_reports_list',
      tags: drift,
      summary: 'List drift reports',
      list: { spec: driftReportsListSpec.description, resultName: 'DriftReport', result: DriftReportSchema },
      handle: async (c) => ok(presentListEnvelope(await services.listDriftReports(c.tenant, c.request.query, listOptions(c)), presentDriftReport)),
    }),
    op({
      method: 'GET',
      path: '/drift/reports/{id}/',
      operationId: 'drift_reports_retrieve',
      tags: drift,
      summary: 'One drift report with its events',
      responses: { 200: { description: 'The row.', schema: DriftReportDetailSchema } },
      errors: [404],
      handle: async (c) => {
        const { report, events } = await services.getDriftReport(c.tenant, c.params.id)
        return ok(presentDriftReportDetail(report, events))
      },
    }),
    op({
      method: 'GET',
      path: '/drift/events/',
      operationId: 'drift_events_list',
      tags: drift,
      summary: 'List drift events',
      list: { spec: driftEventsListSpec.description, resultName: 'DriftEvent', result: DriftEventSchema },
      handle: async (c) => ok(presentListEnvelope(await services.listDriftEvents(c.tenant, c.request.query, listOptions(c)), presentDriftEvent)),
    }),
  ])
}

/**
 * The tags of the claims API with their descriptions (for the document's `tags`).
 *
 * @example
 * ```ts
 * buildOpenApiDocument({ operations: claimsOperations(), tags: CLAIMS_TAGS })
 * ```
 */
export const CLAIMS_TAGS: readonly { readonly name: string; readonly description: string }[] = Object.freeze([
  { name: 'uploads', description: 'CSV uploads of claims.' },
  { name: 'claims', description: 'Claim records.' },
  { name: 'drift', description: 'Payer drift detection.' },
])
