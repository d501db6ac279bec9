/**
 * The names of the span attributes the library sets: OpenTelemetry's semantic conventions
 * where one exists (HTTP server, database client, errors), `upstream.*` for the rest.
 * Use them to query a tracing backend or to assert on spans in tests.
 *
 * @example
 * ```ts
 * const list = exporter.getFinishedSpans().find((s) => s.name === 'list claims')
 * list?.attributes[TRACE_ATTRIBUTES.listCountCache] // 'hit' | 'miss' | 'off'
 * ```
 */
export const TRACE_ATTRIBUTES = Object.freeze({
  // HTTP server (semantic conventions, stable)
  httpRequestMethod: 'http.request.method',
  httpRoute: 'http.route',
  httpResponseStatusCode: 'http.response.status_code',
  urlPath: 'url.path',
  /** The operation id of the matched route (`claims_list`), as in the OpenAPI document. */
  operationId: 'upstream.operation_id',
  /** The tenant (`customers.id`); set only when the app opts in (`tracing: { tenantId: true }`). */
  tenantId: 'upstream.tenant.id',

  // database client (semantic conventions)
  /** `postgresql`, the pre-1.26 name of `db.system.name`, kept for backends that still read it. */
  dbSystem: 'db.system',
  dbSystemName: 'db.system.name',
  dbNamespace: 'db.namespace',
  dbOperationName: 'db.operation.name',
  /** The statement text with every literal replaced by `?`; bound values (`$1`) are never recorded. */
  dbQueryText: 'db.query.text',
  dbResponseReturnedRows: 'db.response.returned_rows',
  /** The SQLSTATE of a failed statement. */
  dbResponseStatusCode: 'db.response.status_code',
  serverAddress: 'server.address',
  serverPort: 'server.port',

  // errors (semantic conventions)
  errorType: 'error.type',

  // transactions
  transactionIsolation: 'upstream.transaction.isolation',
  transactionReadOnly: 'upstream.transaction.read_only',
  /** Attempts made, the first included (more than 1 after retried serialization failures or deadlocks). */
  transactionAttempts: 'upstream.transaction.attempts',
  /** On each `retry` event: the attempt that failed, its SQLSTATE and the backoff before the next. */
  retryAttempt: 'upstream.retry.attempt',
  retrySqlState: 'upstream.retry.sqlstate',
  retryDelayMs: 'upstream.retry.delay_ms',

  // list queries
  listName: 'upstream.list.name',
  /** Pagination style, filters, search and ordering, such as `page-number|status,payer_name|search|-service_date`: one value per compiled statement shape. */
  listShape: 'upstream.list.shape',
  listPagination: 'upstream.list.pagination',
  listFilters: 'upstream.list.filters',
  listSearch: 'upstream.list.search',
  listOrdering: 'upstream.list.ordering',
  /** `exact`, `estimated` or `none`. */
  listCountStrategy: 'upstream.list.count_strategy',
  /** `hit` (the count came from the cache, its data version still current), `miss`, or `off` (no cache, or no count). */
  listCountCache: 'upstream.list.count_cache',
  listCountEstimated: 'upstream.list.count_is_estimate',
  listRows: 'upstream.list.rows',

  // ingestion
  uploadId: 'upstream.upload.id',
  uploadLoader: 'upstream.upload.loader',
  uploadRows: 'upstream.upload.rows',
  uploadStatus: 'upstream.upload.status',

  // drift
  driftGroupBy: 'upstream.drift.group_by',
  driftAsOf: 'upstream.drift.as_of',
  driftForce: 'upstream.drift.force',
  driftReportId: 'upstream.drift.report_id',
  driftCreated: 'upstream.drift.created',
  driftReplaced: 'upstream.drift.replaced',
  driftGroupsTested: 'upstream.drift.groups_tested',
  driftEvents: 'upstream.drift.events',
})
