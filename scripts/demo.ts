import type { ClaimsDatabase } from '../src/claims/index.js'
/**
 * `npm run demo`: the Express example on an embedded PostgreSQL (PGlite, in memory: no
 * database server needed), migrated, with demo data for two customers (a planted rise of
 * one payer's denial rate for the first), drift detection run for that customer, listening
 * on PORT (default 3000). Prints the URL, the tokens and three curl lines to try.
 *
 * Options (environment): PORT, DEMO_CLAIMS (claims per customer, default 5000),
 * LOG_LEVEL (pino level of the request log, default `warn`).
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { pino } from 'pino'
import { createApp } from '../examples/express/create-app.js'
import { shutDownGracefully } from '../examples/shared/graceful-shutdown.js'
import { createAppMetrics } from '../examples/shared/metrics.js'
import { metricsUrl, startMetricsServer } from '../examples/shared/metrics-server.js'
import { seedDatabase } from './seed/seed-database.js'
import { createDatabase } from '../src/db/create-database.js'
import { migrateToLatest } from '../src/db/migrate-to-latest.js'
import { detectDrift } from '../src/claims/drift/detect-drift.js'
import { claimsMigrations, claimsTenant } from '../src/claims/index.js'

const DRIFT_PAYER = 'Medicare'
const started = performance.now()
const seconds = () => `${((performance.now() - started) / 1000).toFixed(1)} s`
const step = (text: string) => process.stdout.write(`  ${text}\n`)

const port = Number(process.env.PORT ?? 3000)
const claimsPerCustomer = Number(process.env.DEMO_CLAIMS ?? 5000)
if (!Number.isSafeInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, not ${process.env.PORT}`)
if (!Number.isSafeInteger(claimsPerCustomer) || claimsPerCustomer < 100) throw new Error('DEMO_CLAIMS must be an integer >= 100')

process.stdout.write('upstream demo\n')
// The port first: a busy port is a one-line message, before a minute of seeding.
const server = createServer()
try {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, resolve)
  })
} catch (error) {
  const code = (error as NodeJS.ErrnoException).code
  process.stderr.write(code === 'EADDRINUSE' ? `Port ${port} is in use: set PORT to a free port (PORT=0 picks one).\n` : `Cannot listen on port ${port}: ${String(error)}\n`)
  process.exit(1)
}
const upstream = await createDatabase<ClaimsDatabase>({ embedded: true }) // demo only: embedded PGlite, in memory
step(`embedded PostgreSQL (PGlite) started, in memory: data goes with the process (${seconds()})`)
await migrateToLatest(upstream, { sets: [claimsMigrations] })
step(`migrated (${seconds()})`)

const asOf = new Date().toISOString().slice(0, 10)
// The first customer gets the planted drift; seeding is idempotent by customer name, so the
// second call only adds the second customer, without drift.
const [drifted] = await seedDatabase(upstream, { customers: 1, claimsPerCustomer, seed: 'demo', driftPayer: DRIFT_PAYER, asOf })
const [, steady] = await seedDatabase(upstream, { customers: 2, claimsPerCustomer, seed: 'demo', asOf })
if (!drifted || !steady) throw new Error('seeding returned no customers')
step(`loaded ${2 * claimsPerCustomer} claims for 2 customers (${seconds()})`)

const detection = await detectDrift(claimsTenant(upstream, drifted.customer_id), { as_of: asOf })
step(
  `drift detection for ${drifted.name}: ${detection.report.groups_tested} payers tested, ${detection.report.events_count} event(s)` +
    `${detection.events.map((e) => ` [${e.payer_name} ${e.metric} ${e.baseline_value.toFixed(3)} -> ${e.current_value.toFixed(3)}, ${e.severity}]`).join('')} (${seconds()})`,
)

const logger = pino({ level: process.env.LOG_LEVEL ?? 'warn' })
const metrics = createAppMetrics(upstream, { defaultMetrics: true })
server.on('request', createApp({ upstream, logger, metrics }))
const url = `http://localhost:${(server.address() as AddressInfo).port}`
// metrics on a listener of their own (loopback), never on the API port
const metricsServer = await startMetricsServer(metrics, { port: Number(process.env.METRICS_PORT || 0), host: process.env.METRICS_HOST || '127.0.0.1' })
const stop = shutDownGracefully(server, {
  logger,
  onClosed: async () => {
    await new Promise((resolve) => metricsServer.close(resolve))
    await upstream.destroy()
  },
})
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stop(signal).then(() => process.exit(0)))

process.stdout.write(`
Ready in ${seconds()}: the Express example on ${url}/api/v1/

  API reference   ${url}/api/v1/docs/
  OpenAPI 3.1     ${url}/api/v1/schema/
  Metrics         ${metricsUrl(metricsServer)} (loopback only)

Customers and their bearer tokens:
  ${drifted.name} (id ${drifted.customer_id}, planted drift: ${DRIFT_PAYER})
    read+write  ${drifted.token}
    read only   ${drifted.read_token}
  ${steady.name} (id ${steady.customer_id})
    read+write  ${steady.token}
    read only   ${steady.read_token}

Try:
  curl -s -H 'Authorization: Bearer ${drifted.token}' '${url}/api/v1/claims/?payer_name=${DRIFT_PAYER}&status=denied&ordering=-service_date&page_size=5'
  curl -s -H 'Authorization: Bearer ${drifted.token}' '${url}/api/v1/drift/events/?ordering=p_value'
  curl -s -X POST -H 'Authorization: Bearer ${steady.token}' -H 'Content-Type: application/json' -d '{"min_claims": 20}' '${url}/api/v1/drift/reports/'

Ctrl+C stops the server (the in-memory database goes with it).
`)
