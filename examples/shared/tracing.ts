import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http'
import { resourceFromAttributes } from '@opentelemetry/resources'
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base'
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node'

/**
 * The tracing an example server runs with: on (spans batched to an OTLP/HTTP collector) or off.
 *
 * @example
 * ```ts
 * const tracing = startTracing(process.env, 'upstream-express')
 * if (tracing.tracesUrl) logger.info({ tracesUrl: tracing.tracesUrl }, 'tracing on')
 * ```
 */
export interface ExampleTracing {
  /** Where spans go (`.../v1/traces`), or `undefined` when tracing is off. */
  readonly tracesUrl: string | undefined
  /** Sends the spans still buffered and stops (call it after the server closed). */
  shutdown(): Promise<void>
}

/**
 * Installs the OpenTelemetry SDK when `OTEL_EXPORTER_OTLP_ENDPOINT` (or
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) is set, and does nothing otherwise, so the library's
 * spans stay a no-op. On: a NodeTracerProvider (AsyncLocalStorage context, W3C `traceparent`
 * propagation) batching every span to the OTLP/HTTP exporter (JSON over HTTP; headers from
 * `OTEL_EXPORTER_OTLP_HEADERS`), `service.name` from `OTEL_SERVICE_NAME` or `serviceName`.
 *
 * @example
 * ```sh
 * OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4318 OTEL_SERVICE_NAME=claims-api npm run example:express
 * ```
 */
export function startTracing(env: NodeJS.ProcessEnv, serviceName: string): ExampleTracing {
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || (env.OTEL_EXPORTER_OTLP_ENDPOINT && `${env.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`)
  if (!endpoint) return Object.freeze({ tracesUrl: undefined, shutdown: async () => {} })
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME || serviceName }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: endpoint }))],
  })
  provider.register()
  return Object.freeze({ tracesUrl: endpoint, shutdown: () => provider.shutdown() })
}
