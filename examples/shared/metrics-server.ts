import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { AppMetrics } from './metrics.js'

/**
 * Serves Prometheus metrics on a listener of their own, never on the API's port:
 * `GET /metrics` on `host:port` (default host `127.0.0.1`, so only the machine, or a
 * sidecar, can scrape it; `METRICS_HOST=0.0.0.0` opens it to the network). Anything else
 * answers 404 JSON. Resolves once it listens.
 *
 * @example
 * ```ts
 * const server = await startMetricsServer(metrics, { port: 9464 })
 * // curl http://127.0.0.1:9464/metrics
 * ```
 */
export async function startMetricsServer(metrics: AppMetrics, options: { port: number; host?: string }): Promise<Server> {
  const server = createServer((req, res) => {
    res.setHeader('x-content-type-options', 'nosniff')
    if ((req.method === 'GET' || req.method === 'HEAD') && (req.url === '/metrics' || req.url?.startsWith('/metrics?'))) {
      metrics.registry.metrics().then(
        (text) => {
          res.writeHead(200, { 'content-type': metrics.registry.contentType })
          res.end(req.method === 'HEAD' ? undefined : text)
        },
        () => {
          res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' })
          res.end('{"detail":"A server error occurred."}')
        },
      )
      return
    }
    res.writeHead(404, { 'content-type': 'application/json; charset=utf-8' })
    res.end('{"detail":"Not found."}')
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve())
  })
  return server
}

/**
 * The `http://host:port/metrics` URL of a started metrics server.
 *
 * @example
 * ```ts
 * metricsUrl(server) // 'http://127.0.0.1:9464/metrics'
 * ```
 */
export function metricsUrl(server: Server): string {
  const { address, port } = server.address() as AddressInfo
  return `http://${address.includes(':') ? `[${address}]` : address}:${port}/metrics`
}
