import { SpanStatusCode, type Span } from '@opentelemetry/api'
import { sqlStateOf } from '../errors/index.js'
import { TRACE_ATTRIBUTES } from './trace-attributes.js'

/**
 * Marks a span as failed by `error`: an `exception` event (type, message, stack), status
 * `ERROR`, and `error.type`: the SQLSTATE of a PostgreSQL error (also set as
 * `db.response.status_code`), else the error's name (`SerializationFailureError`, `AbortError`).
 *
 * @example
 * ```ts
 * try { await work() } catch (error) { recordSpanError(span, error); throw error } finally { span.end() }
 * ```
 */
export function recordSpanError(span: Span, error: unknown): void {
  if (!span.isRecording()) return
  const sqlState = sqlStateOf(error)
  if (error instanceof Error) {
    span.recordException(error)
    span.setStatus({ code: SpanStatusCode.ERROR, message: error.message })
    span.setAttribute(TRACE_ATTRIBUTES.errorType, sqlState ?? (error.name === 'Error' || error.name === 'error' ? error.constructor.name : error.name))
  } else {
    span.recordException(String(error))
    span.setStatus({ code: SpanStatusCode.ERROR })
    span.setAttribute(TRACE_ATTRIBUTES.errorType, sqlState ?? typeof error)
  }
  if (sqlState !== undefined) span.setAttribute(TRACE_ATTRIBUTES.dbResponseStatusCode, sqlState)
}
