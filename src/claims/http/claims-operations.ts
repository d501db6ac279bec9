import { Readable } from 'node:stream'
import { z } from 'zod'
import { ValidationError } from '../../errors/index.js'
import { headerValue, jsonResponse, mediaTypeOf, prefers, presentBatches, presentListEnvelope, type ExportRow, readJsonBody, RequestBodyTooLargeError, tenantDataVersion, tenantOperation, UnsupportedMediaTypeError, type HttpResponse, type JsonValue, type TenantOperation, type TenantOperationContext } from '../../http/index.js'
import { assertCursorSecrets, exportTenantList, type CountCache, type CursorSecrets, type ListSpec } from '../../list-query/index.js'
import { listDescriptionOf, pageSchemaOf } from '../../openapi/index.js'
import type { ClaimsDatabase, ClaimsTenantScope } from '../core/index.js'
import type { DetectDriftOptions } from '../drift/index.js'
import { driftParamsSchema } from '../drift/index.js'
import { uploadStatisticsQuerySchema } from '../ingestion/index.js'
import { claimsListSpec, driftEventsListSpec, driftReportsListSpec, failedUploadsListSpec, uploadClaimsListSpec, uploadsListSpec } from '../lists/index.js'
import { ClaimSchema, DriftEventSchema, DriftReportDetailSchema, DriftReportSchema, IngestionFailedSchema, UploadErrorsSchema, UploadSchema, UploadStatisticsSchema } from '../openapi/index.js'
import type { ClaimsJobsOptions } from '../jobs/index.js'
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
  /** Signs and verifies list cursors: give every instance the same secret (a list rotates them: the first signs, all verify). Default: random bytes per process. */
  readonly cursorSecret?: CursorSecrets
  /** The lists' count cache (`createMemoryCountCache`, `createRedisCountCache`). Default: in memory per database; `false` for none. */
  readonly countCache?: CountCache | false
  /** Rows per batch (one short read transaction each) of CSV and NDJSON exports of the lists. Default 1000. */
  readonly exportBatchSize?: number
  /**
   * Background jobs (PostgreSQL only; ignored on PGlite): `POST /uploads/` with
   * `Prefer: respond-async` answers 202 and a worker loads the file; successful uploads
   * schedule the tenant's drift run; new drift reports enqueue durable subscribers. Give the
   * worker's `claimsJobTasks` the same value, and install the queue (`migrateJobQueue`) first.
   * Off when absent.
   */
  readonly jobs?: ClaimsJobsOptions
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
  assertCursorSecrets(options.cursorSecret) // a bad secret fails here, at start, not as a 500 on each cursor request
  const services: ClaimsServices = { ...defaultClaimsServices(options.drift, options.jobs), ...options.services }
  const maxUploadBytes = options.maxUploadBytes ?? 100 * 1024 * 1024
  const listOptions = (c: Context) => ({
    url: c.request.url,
    cursorSecret: options.cursorSecret,
    countCache: options.countCache,
    ...(c.request.signal ? { signal: c.request.signal } : {}),
  })
  const readOptions = (c: Context) => (c.request.signal ? { signal: c.request.signal } : {})
  const op = tenantOperation<ClaimsTenantScope>
  const exportOptions = options.exportBatchSize === undefined ? {} : { batchSize: options.exportBatchSize }
  // every row of a list for CSV/NDJSON, presented as the JSON page presents it
  const exportOf =
    <TB extends keyof ClaimsDatabase, Row, Item extends ExportRow>(spec: ListSpec<ClaimsDatabase, TB, Row>, present: (row: Row) => Item) =>
    (c: Context) =>
      presentBatches(exportTenantList(c.tenant, spec, c.request.query, exportOptions), present)
  const uploads = ['uploads']
  const claims = ['claims']
  const drift = ['drift']
  // every GET answers from the tenant's rows only: the tenant's data version is its ETag's
  const dependsOn = [tenantDataVersion]
  // The main claims list names the plain `PageNumberPage_Claim`; an upload's claims, if its
  // envelope differs (another count strategy), gets a suffixed name: name the main one first.
  const claimsList = listDescriptionOf(claimsListSpec.description)
  for (const style of claimsList.pagination) {
    pageSchemaOf(style, 'Claim', ClaimSchema, claimsList.envelopes?.find((e) => e.style === style)?.keys, claimsList.name)
  }

  return Object.freeze([
    op({
      method: 'GET',
      dependsOn,
      path: '/uploads/',
      operationId: 'uploads_list',
      tags: uploads,
      summary: 'List uploads',
      list: { spec: uploadsListSpec.description, resultName: 'Upload', result: UploadSchema, export: exportOf(uploadsListSpec, presentUpload) },
      handle: async (c) => ok(presentListEnvelope(await services.listUploads(c.tenant, c.request.query, listOptions(c)), presentUpload)),
    }),
    op({
      method: 'POST',
      path: '/uploads/',
      operationId: 'uploads_create',
      tags: uploads,
      summary: 'Upload a CSV file of claims',
      description:
        'Streams the CSV body into a new upload, all or nothing: either every row lands (201, status `success`) or none does (422, status `failed`, first 100 row errors).\n\n' +
        'With `Prefer: respond-async` (where the server runs background jobs), the body is stored and the answer is 202 at once, with the upload (status `pending`), ' +
        '`Location` of the upload and `Preference-Applied: respond-async`; a worker then loads it, all or nothing, and the upload ends `success` or `failed` ' +
        '(its row errors at `GET /uploads/{id}/errors/`). A server without background jobs ignores the preference and answers as without it.',
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
      responses: {
        201: { description: 'Every row landed.', schema: UploadSchema },
        202: {
          description:
            'Accepted for background loading (`Prefer: respond-async`): the body is stored and the upload is `pending`. Poll `Location` until the status is `success` or `failed`.',
          schema: UploadSchema,
          headers: {
            Location: { description: 'The absolute URL of the upload.', schema: { type: 'string', format: 'uri' } },
            'Preference-Applied': { description: 'Always `respond-async`.', schema: { type: 'string', enum: ['respond-async'] } },
          },
        },
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
        const input = { filename, body, maxBytes: maxUploadBytes }
        if (services.enqueueUpload && c.tenant.upstream.dialect === 'postgres' && prefers(c.request.headers, 'respond-async')) {
          const upload = await services.enqueueUpload(c.tenant, input)
          return jsonResponse(202, presentUpload(upload), {
            location: new URL(`${c.settings.basePath}/uploads/${upload.id}/`, c.request.url).href,
            'preference-applied': 'respond-async',
          })
        }
        const upload = await services.ingestUpload(c.tenant, input)
        return ok(presentUpload(upload), 201)
      },
    }),
    op({
      method: 'GET',
      dependsOn,
      path: '/uploads/recent_with_errors/',
      operationId: 'uploads_recent_with_errors_list',
      tags: uploads,
      summary: 'List failed uploads, newest first',
      list: { spec: failedUploadsListSpec.description, resultName: 'Upload', result: UploadSchema, export: exportOf(failedUploadsListSpec, presentUpload) },
      handle: async (c) => ok(presentListEnvelope(await services.listFailedUploads(c.tenant, c.request.query, listOptions(c)), presentUpload)),
    }),
    op({
      method: 'GET',
      dependsOn,
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
      dependsOn,
      path: '/uploads/{id}/',
      operationId: 'uploads_retrieve',
      tags: uploads,
      summary: 'One upload',
      responses: { 200: { description: 'The row.', schema: UploadSchema } },
      errors: [404],
      handle: async (c) => ok(presentUpload(await c.tenant.read(({ uploads }) => uploads.getById(c.params.id), readOptions(c)))),
    }),
    op({
      method: 'GET',
      dependsOn,
      path: '/uploads/{id}/errors/',
      operationId: 'uploads_errors_retrieve',
      tags: uploads,
      summary: 'One upload with its row errors',
      description:
        'The upload, its `error_message` as `detail`, and the row errors its failure recorded (the first 100, in file order): what a synchronous upload answers in its 422, for uploads loaded in the background. Empty `errors` unless the upload failed on its rows.',
      responses: { 200: { description: 'The upload and its row errors.', schema: UploadErrorsSchema } },
      errors: [404],
      handle: async (c) => {
        const { upload, errors } = await services.uploadErrors(c.tenant, c.params.id)
        return ok({ detail: upload.error_message, upload: presentUpload(upload), errors: errors.map((e) => ({ line: e.line, column: e.column, message: e.message })) })
      },
    }),
    op({
      method: 'GET',
      dependsOn,
      path: '/uploads/{id}/claim_records/',
      operationId: 'uploads_claim_records_list',
      tags: uploads,
      summary: 'The claims of one upload, by claim number',
      list: {
        spec: uploadClaimsListSpec.description,
        resultName: 'Claim',
        result: ClaimSchema,
        // a missing (or another tenant's) upload is a 404 here too, checked before the first batch
        export: (c) => {
          const batches = exportTenantList(c.tenant, uploadClaimsListSpec, c.request.query, exportOptions, {
            key: `upload:${c.params.id}`,
            apply: (qb) => qb.where('upload_id', '=', c.params.id),
          })
          return (async function* () {
            await c.tenant.read(({ uploads }) => uploads.getById(c.params.id))
            yield* presentBatches(batches, presentClaim)
          })()
        },
      },
      // the list service answers 404 for a missing (or another tenant's) upload
      handle: async (c) =>
        ok(presentListEnvelope(await services.listUploadClaims(c.tenant, c.params.id, c.request.query, listOptions(c)), presentClaim)),
    }),
    op({
      method: 'GET',
      dependsOn,
      path: '/claims/',
      operationId: 'claims_list',
      tags: claims,
      summary: 'List claims',
      list: { spec: claimsListSpec.description, resultName: 'Claim', result: ClaimSchema, export: exportOf(claimsListSpec, presentClaim) },
      handle: async (c) => ok(presentListEnvelope(await services.listClaims(c.tenant, c.request.query, listOptions(c)), presentClaim)),
    }),
    op({
      method: 'GET',
      dependsOn,
      path: '/claims/{id}/',
      operationId: 'claims_retrieve',
      tags: claims,
      summary: 'One claim',
      responses: { 200: { description: 'The row.', schema: ClaimSchema } },
      errors: [404],
      handle: async (c) => ok(presentClaim(await c.tenant.read(({ claims }) => claims.getById(c.params.id), readOptions(c)))),
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
        const result = await services.detectDrift(c.tenant, body, readOptions(c))
        options.onDriftRun?.({ durationMs: Number(result.report.duration_ms), created: result.created })
        return ok(presentDriftReportDetail(result.report, result.events), result.created ? 201 : 200)
      },
    }),
    op({
      method: 'GET',
      dependsOn,
      path: '/drift/reports/',
      operationId: 'drift_reports_list',
      tags: drift,
      summary: 'List drift reports',
      list: { spec: driftReportsListSpec.description, resultName: 'DriftReport', result: DriftReportSchema, export: exportOf(driftReportsListSpec, presentDriftReport) },
      handle: async (c) => ok(presentListEnvelope(await services.listDriftReports(c.tenant, c.request.query, listOptions(c)), presentDriftReport)),
    }),
    op({
      method: 'GET',
      dependsOn,
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
      dependsOn,
      path: '/drift/events/',
      operationId: 'drift_events_list',
      tags: drift,
      summary: 'List drift events',
      list: { spec: driftEventsListSpec.description, resultName: 'DriftEvent', result: DriftEventSchema, export: exportOf(driftEventsListSpec, presentDriftEvent) },
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
