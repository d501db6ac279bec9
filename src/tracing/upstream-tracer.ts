import { ProxyTracerProvider, trace, type Tracer, type TracerProvider } from '@opentelemetry/api'

/**
 * The instrumentation scope of every span the library makes (`otel.scope.name` in most
 * backends): filter on it to see the library's spans apart from the app's own.
 *
 * @example
 * ```ts
 * const ours = exporter.getFinishedSpans().filter((s) => s.instrumentationScope.name === UPSTREAM_TRACER_NAME)
 * ```
 */
export const UPSTREAM_TRACER_NAME = '@upstreamjs/upstream'

let current: { readonly provider: TracerProvider; readonly tracer: Tracer } | undefined

/**
 * The library's tracer from the global tracer provider (`@opentelemetry/api`): a no-op until
 * the app registers an SDK (`NodeTracerProvider#register()`, or the Node SDK). Looked up on
 * each call, and cached per registered provider, so a provider registered after the first
 * request (or swapped in a test) is picked up; without one it costs a property read.
 *
 * @example
 * ```ts
 * const span = upstreamTracer().startSpan('export claims')
 * span.end()
 * ```
 */
export function upstreamTracer(): Tracer {
  const global = trace.getTracerProvider()
  const provider = global instanceof ProxyTracerProvider ? global.getDelegate() : global
  if (current?.provider !== provider) current = { provider, tracer: provider.getTracer(UPSTREAM_TRACER_NAME) }
  return current.tracer
}
