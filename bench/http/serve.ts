import type { ClaimsDatabase } from '../../src/claims/index.js'
/**
 * One server of the HTTP benchmark, in a process of its own (so the load generator never
 * shares its event loop): `node --import tsx bench/http/serve.ts express|koa|baseline`.
 * Environment: BENCH_DATABASE_URL, BENCH_SCHEMA, BENCH_CAPTURED (a JSON file of captured
 * requests, baseline only). Prints `LISTENING <port>` once it listens on 127.0.0.1.
 */
import { readFile } from 'node:fs/promises'
import type { RequestListener, Server } from 'node:http'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { pino } from 'pino'
import { createApp as createExpressApp } from '../../examples/express/create-app.js'
import { createApp as createKoaApp } from '../../examples/koa/create-app.js'
import { createDatabase } from '../../src/db/create-database.js'
import { createBaselineServer } from './baseline-server.js'
import type { CapturedRequest } from './captured-request.js'

const kind = process.argv[2]
const connectionString = process.env.BENCH_DATABASE_URL
const schema = process.env.BENCH_SCHEMA ?? 'bench'
if (!connectionString) throw new Error('BENCH_DATABASE_URL is required')

let server: Server
let close: () => Promise<void>
if (kind === 'baseline' || kind === 'baseline-split') {
  const file = process.env.BENCH_CAPTURED
  if (!file) throw new Error('BENCH_CAPTURED is required for the baseline')
  const requests = JSON.parse(await readFile(file, 'utf8')) as CapturedRequest[]
  const baseline = createBaselineServer({ connectionString, requests, splitAuth: kind === 'baseline-split' })
  server = baseline
  close = () => baseline.closePool()
} else if (kind === 'express' || kind === 'koa') {
  const upstream = await createDatabase<ClaimsDatabase>({ connectionString, schema })
  const logger = pino({ level: 'silent' })
  const listener: RequestListener = kind === 'express' ? createExpressApp({ upstream, logger }) : createKoaApp({ upstream, logger }).callback()
  server = createServer(listener)
  close = () => upstream.destroy()
} else {
  throw new Error(`unknown server kind ${kind}; use express, koa or baseline`)
}

server.keepAliveTimeout = 60_000
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`LISTENING ${(server.address() as AddressInfo).port}\n`)
})
process.once('SIGTERM', () => {
  server.close()
  server.closeAllConnections()
  void close().finally(() => process.exit(0))
})
