import { context, isSpanContextValid, trace, type Context, type Span, type SpanOptions } from '@opentelemetry/api'
import { recordSpanError } from './record-span-error.js'
import { upstreamTracer } from './upstream-tracer.js'

/**
 * Runs `work` inside a new span of the library's tracer, made the active span so that the
 * spans `work` starts (statements, nested transactions) become its children; ends it when
 * `work` settles, and records a thrown error ({@link recordSpanError}) before rethrowing it.
 *
 * Without an SDK the API's tracer answers a span with an invalid context: `work` then runs
 * directly, with no context switch and nothing recorded, so the cost is one small object.
 * Compute attributes only when `span.isRecording()`.
 *
 * @param parent - the context to start from (default: the active one), e.g. one extracted from request headers.
 *
 * @example
 * ```ts
 * const rows = await inSpan('export claims', { attributes: { 'upstream.list.name': 'claims' } }, async (span) => {
 *   const rows = await fetchAll()
 *   if (span.isRecording()) span.setAttribute('upstream.list.rows', rows.length)
 *   return rows
 * })
 * ```
 */
export async function inSpan<T>(name: string, options: SpanOptions, work: (span: Span) => Promise<T>, parent?: Context): Promise<T> {
  const from = parent ?? context.active()
  const span = upstreamTracer().startSpan(name, options, from)
  if (!isSpanContextValid(span.spanContext())) return work(span)
  try {
    return await context.with(trace.setSpan(from, span), work, undefined, span)
  } catch (error) {
    recordSpanError(span, error)
    throw error
  } finally {
    span.end()
  }
}
