import type { Readable } from 'node:stream'
import type { CountCache, CursorSecrets } from '../../list-query/index.js'
import type { ClaimRecord, DriftEvent, DriftReport, Upload } from '../core/index.js'
import type { ClaimsTenantScope } from '../core/index.js'
import type { ListEnvelope } from '../../http/index.js'
import type { UploadStatisticsInput } from '../presenters/index.js'
import type { UploadWithErrors } from '../ingestion/index.js'

/**
 * Options every list service takes: the absolute request URL its `next`/`previous` links are built from.
 *
 * @example
 * ```ts
 * await listClaims(tenant, query, { url: 'https://api.example.com/api/v1/claims/?status=paid' })
 * ```
 */
export interface ListCallOptions {
  readonly url: string
  /** Signs and verifies cursors (one secret shared by every instance; a list rotates them: the first signs, all verify). Default: random per process. */
  readonly cursorSecret?: CursorSecrets
  /** Counts cache. Default: an in-memory cache per database; `false` for none. */
  readonly countCache?: CountCache | false
  /** Fires when the HTTP client goes away: the list's statement is cancelled (`RequestAbortedError`). */
  readonly signal?: AbortSignal
}

/**
 * A list service: one tenant's rows for the request's query parameters (filters, search, ordering, page).
 *
 * @example
 * ```ts
 * const listClaims: ListService<ClaimRecord> = (tenant, query, options) => myClaims(tenant, query, options)
 * ```
 */
export type ListService<Row> = (tenant: ClaimsTenantScope, query: URLSearchParams, options: ListCallOptions) => Promise<ListEnvelope<Row>>

/**
 * What the upload operation gives the ingestion service.
 *
 * @example
 * ```ts
 * await services.ingestUpload(tenant, { filename: 'claims.csv', body: req, maxBytes: 100 * 1024 * 1024 })
 * ```
 */
export interface IngestUploadInput {
  readonly filename: string
  readonly body: NodeJS.ReadableStream | Readable
  readonly maxBytes?: number
}

/**
 * A drift run's result, as the drift service returns it.
 *
 * @example
 * ```ts
 * const { report, events, created } = await services.detectDrift(tenant, { as_of: '2026-06-01' })
 * ```
 */
export interface DriftRunResult {
  readonly report: DriftReport
  readonly events: readonly DriftEvent[]
  /** `true` (201) when computed now, `false` (200) when the same report existed. */
  readonly created: boolean
}

/**
 * The services the HTTP core calls: the library's own by default; replace any one
 * (to decorate it, or in tests).
 *
 * @example
 * ```ts
 * createHttpHandler({ upstream, services: { listClaims: (tenant, query, options) => myListClaims(tenant, query, options) } })
 * ```
 */
export interface ClaimsServices {
  readonly listUploads: ListService<Upload>
  readonly listFailedUploads: ListService<Upload>
  readonly listUploadClaims: (tenant: ClaimsTenantScope, uploadId: number, query: URLSearchParams, options: ListCallOptions) => Promise<ListEnvelope<ClaimRecord>>
  readonly listClaims: ListService<ClaimRecord>
  readonly listDriftReports: ListService<DriftReport>
  readonly listDriftEvents: ListService<DriftEvent>
  readonly ingestUpload: (tenant: ClaimsTenantScope, input: IngestUploadInput) => Promise<Upload>
  /**
   * Stores an upload for a worker and answers at once (`Prefer: respond-async` -> 202); absent
   * when background jobs are off, and uploads then stay synchronous.
   */
  readonly enqueueUpload?: (tenant: ClaimsTenantScope, input: IngestUploadInput) => Promise<Upload>
  /** An upload with its stored row errors (`GET /uploads/{id}/errors/`). */
  readonly uploadErrors: (tenant: ClaimsTenantScope, uploadId: number) => Promise<UploadWithErrors>
  readonly uploadStatistics: (tenant: ClaimsTenantScope, query: URLSearchParams) => Promise<UploadStatisticsInput>
  readonly detectDrift: (tenant: ClaimsTenantScope, body: unknown, options?: { readonly signal?: AbortSignal }) => Promise<DriftRunResult>
  readonly getDriftReport: (tenant: ClaimsTenantScope, id: number) => Promise<{ readonly report: DriftReport; readonly events: readonly DriftEvent[] }>
}
