import { Readable, finished } from 'node:stream'
import { context, isSpanContextValid, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api'
import { recordSpanError, TRACE_ATTRIBUTES, upstreamTracer } from '../tracing/index.js'
import type { HttpRequest } from './http-request.js'
import type { HttpResponse } from './http-response.js'

/**
 * What the HTTP core records on its spans beyond the defaults.
 *
 * @example
 * ```ts
 * createHttpHandler({ upstream, tracing: { tenantId: true } }) // spans carry upstream.tenant.id
 * ```
 */
export interface HttpTracingOptions {
  /**
   * Record the caller's tenant (`customers.id`) as `upstream.tenant.id` on the request's span.
   * Default `false`: a tenant id can identify a customer, so it leaves the process only when
   * the app says so.
   */
  readonly tenantId?: boolean
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT'])

/**
 * Runs one request of the HTTP core inside its span, the parent of every span the request
 * makes (transactions, lists, ingestion, drift runs, statements).
 *
 * - Kind `SERVER`, continuing the caller's trace from its `traceparent` header (through the
 *   registered propagator), unless a span is already active (the app's HTTP instrumentation
 *   made one): then an `INTERNAL` child of it.
 * - Named `GET /api/v1/claims/{id}/` (method and route template, never the raw path), or the
 *   method alone when no route matched; `http.request.method`, `url.path`, `http.route`,
 *   `http.response.status_code`, `upstream.operation_id`; status `ERROR` for a 5xx only (a 4xx
 *   is the client's failure, as the semantic conventions say for server spans).
 * - A streamed body (a `Readable`) keeps the span open until the stream ends or fails.
 *
 * Without an SDK it calls `handle` directly.
 *
 * @example
 * ```ts
 * const traced = (request: HttpRequest) => traceHttpRequest(request, handle)
 * ```
 */
export async function traceHttpRequest(request: HttpRequest, handle: (request: HttpRequest) => Promise<HttpResponse>): Promise<HttpResponse> {
  const active = context.active()
  const within = trace.getSpan(active) !== undefined
  const parent = within ? active : propagation.extract(active, request.headers)
  const upper = request.method.toUpperCase()
  const method = METHODS.has(upper) ? upper : '_OTHER'
  const span = upstreamTracer().startSpan(
    method,
    { kind: within ? SpanKind.INTERNAL : SpanKind.SERVER, attributes: { [TRACE_ATTRIBUTES.httpRequestMethod]: method, [TRACE_ATTRIBUTES.urlPath]: request.path } },
    parent,
  )
  if (!isSpanContextValid(span.spanContext())) return handle(request)
  let response: HttpResponse
  try {
    response = await context.with(trace.setSpan(parent, span), handle, undefined, request)
  } catch (error) {
    // the core never throws; a wrapped handler might
    recordSpanError(span, error)
    span.end()
    throw error
  }
  if (span.isRecording()) {
    if (response.route) {
      span.updateName(`${method} ${response.route}`)
      span.setAttribute(TRACE_ATTRIBUTES.httpRoute, response.route)
    }
    span.setAttribute(TRACE_ATTRIBUTES.httpResponseStatusCode, response.status)
    if (response.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR })
  }
  const body = response.body
  if (body instanceof Readable) {
    finished(body, (error) => {
      if (error) recordSpanError(span, error)
      span.end()
    })
  } else {
    span.end()
  }
  return response
}
