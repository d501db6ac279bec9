import { Readable } from 'node:stream'
import { docsAsset, docsPage, docsPageHeaders } from '../../openapi/index.js'
import { ValidationError } from '../../errors/validation-error.js'
import { NotFoundError } from '../../errors/not-found-error.js'
import { UnsupportedMediaTypeError } from '../../http/errors/unsupported-media-type-error.js'
import { RequestBodyTooLargeError } from '../../http/errors/request-body-too-large-error.js'
import { jsonResponse, type HttpResponse } from '../../http/http-response.js'
import type { JsonValue } from '../../http/json-value.js'
import { headerValue, mediaTypeOf } from '../../http/media-type.js'
import { presentClaim } from './presenters/claim-presenter.js'
import { presentDriftEvent } from './presenters/drift-event-presenter.js'
import { presentDriftReport, presentDriftReportDetail } from './presenters/drift-report-presenter.js'
import { presentListEnvelope } from '../../http/list-envelope-presenter.js'
import { presentUploadStatistics } from './presenters/upload-statistics-presenter.js'
import { presentUpload } from './presenters/upload-presenter.js'
import { readJsonBody } from '../../http/read-json-body.js'
import { publicOperation, tenantOperation, type RouteDefinition, type TenantOperationContext } from '../../http/route-table.js'

const ok = (body: JsonValue, status = 200): HttpResponse => jsonResponse(status, body)
const list = (c: TenantOperationContext) => ({ url: c.request.url })
const op = tenantOperation
const publicOp = publicOperation

async function createUpload(c: TenantOperationContext): Promise<HttpResponse> {
  const filenames = c.request.query.getAll('filename')
  const filename = filenames[0]?.trim() ?? ''
  if (filenames.length > 1) throw new ValidationError({ filename: ['Give one filename.'] })
  if (filename === '') throw new ValidationError({ filename: ['This field is required.'] })
  if (filename.length > 255) throw new ValidationError({ filename: ['Ensure this field has no more than 255 characters.'] })
  const mediaType = mediaTypeOf(c.request.headers)
  if (mediaType !== 'text/csv') throw new UnsupportedMediaTypeError(mediaType)
  const declared = Number(headerValue(c.request.headers['content-length']) ?? NaN)
  if (Number.isFinite(declared) && declared > c.settings.maxUploadBytes) throw new RequestBodyTooLargeError(c.settings.maxUploadBytes)
  const body = c.request.body ?? Readable.from([])
  const upload = await c.services.ingestUpload(c.tenant, { filename, body, maxBytes: c.settings.maxUploadBytes })
  return ok(presentUpload(upload), 201)
}

async function runDrift(c: TenantOperationContext): Promise<HttpResponse> {
  const body = await readJsonBody(c.request, c.settings.maxJsonBodyBytes)
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    const got = body === null ? 'null' : Array.isArray(body) ? 'list' : typeof body
    throw new ValidationError({ non_field_errors: [`Invalid data. Expected a dictionary, but got ${got}.`] })
  }
  const result = await c.services.detectDrift(c.tenant, body)
  c.settings.onDriftRun?.({ durationMs: Number(result.report.duration_ms), created: result.created })
  return ok(presentDriftReportDetail(result.report, result.events), result.created ? 201 : 200)
}

async function retrieveUploadClaims(c: TenantOperationContext): Promise<HttpResponse> {
  // the list service answers 404 for a missing (or another tenant's) upload
  return ok(presentListEnvelope(await c.services.listUploadClaims(c.tenant, c.params.id, c.request.query, list(c)), presentClaim))
}

/**
 * The endpoints of CONTRACT section 3, relative to the base path: the route table the
 * core serves. Operation ids match the OpenAPI document's.
 *
 * @example
 * ```ts
 * for (const route of upstreamRoutes) console.log(route.path, Object.keys(route.operations))
 * ```
 */
export const upstreamRoutes: readonly RouteDefinition[] = Object.freeze([
  {
    path: '/uploads/',
    operations: {
      GET: op('uploads_list', async (c) => ok(presentListEnvelope(await c.services.listUploads(c.tenant, c.request.query, list(c)), presentUpload))),
      POST: op('uploads_create', createUpload),
    },
  },
  {
    path: '/uploads/recent_with_errors/',
    operations: {
      GET: op('uploads_recent_with_errors_list', async (c) => ok(presentListEnvelope(await c.services.listFailedUploads(c.tenant, c.request.query, list(c)), presentUpload))),
    },
  },
  {
    path: '/uploads/statistics/',
    operations: {
      GET: op('uploads_statistics_retrieve', async (c) => ok(presentUploadStatistics(await c.services.uploadStatistics(c.tenant, c.request.query)))),
    },
  },
  {
    path: '/uploads/{id}/',
    operations: {
      GET: op('uploads_retrieve', async (c) => ok(presentUpload(await c.tenant.read(({ uploads }) => uploads.getById(c.params.id))))),
    },
  },
  { path: '/uploads/{id}/claim_records/', operations: { GET: op('uploads_claim_records_list', retrieveUploadClaims) } },
  {
    path: '/claims/',
    operations: {
      GET: op('claims_list', async (c) => ok(presentListEnvelope(await c.services.listClaims(c.tenant, c.request.query, list(c)), presentClaim))),
    },
  },
  {
    path: '/claims/{id}/',
    operations: {
      GET: op('claims_retrieve', async (c) => ok(presentClaim(await c.tenant.read(({ claims }) => claims.getById(c.params.id))))),
    },
  },
  {
    path: '/drift/reports/',
    operations: {
      GET: op('drift_reports_list', async (c) => ok(presentListEnvelope(await c.services.listDriftReports(c.tenant, c.request.query, list(c)), presentDriftReport))),
      POST: op('drift_reports_create', runDrift),
    },
  },
  {
    path: '/drift/reports/{id}/',
    operations: {
      GET: op('drift_reports_retrieve', async (c) => {
          const { report, events } = await c.services.getDriftReport(c.tenant, c.params.id)
          return ok(presentDriftReportDetail(report, events))
        }),
    },
  },
  {
    path: '/drift/events/',
    operations: {
      GET: op('drift_events_list', async (c) => ok(presentListEnvelope(await c.services.listDriftEvents(c.tenant, c.request.query, list(c)), presentDriftEvent))),
    },
  },
  {
    path: '/schema/',
    operations: { GET: publicOp('schema_retrieve', async (c) => ok(c.settings.schemaDocument(c.request) as JsonValue)) },
  },
  {
    path: '/docs/',
    operations: {
      GET: publicOp('docs_retrieve', async (c) => {
          const page = { schemaUrl: `${c.settings.basePath}/schema/`, assetBaseUrl: `${c.settings.basePath}/docs/` }
          return { status: 200, headers: docsPageHeaders(page), body: docsPage(page) }
        }),
    },
  },
  {
    path: '/docs/{asset}',
    operations: {
      GET: publicOp('docs_asset_retrieve', async (c) => {
          const asset = await docsAsset(c.params.asset)
          if (!asset) throw new NotFoundError('docs', c.params.asset)
          return {
            status: 200,
            headers: { 'content-type': asset.contentType, 'content-length': String(asset.size), 'cache-control': 'public, max-age=86400' },
            body: asset.stream(),
          }
        }),
    },
  },
] satisfies RouteDefinition[])
