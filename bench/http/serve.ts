import type { ClaimsDatabase } from '../../src/claims/index.js'
/**
 * One server of the HTTP benchmark, in a process of its own (so the load generator never
 * shares its event loop): `node --import tsx bench/http/serve.ts express|koa|baseline`.
 * Environment: BENCH_DATABASE_URL, BENCH_SCHEMA. Prints `LISTENING <port>` once it listens
 * on 127.0.0.1. `GET /__cpu` answers the process's `process.cpuUsage()` (microseconds), so the
 * bench can report CPU time per request.
 */
import type { RequestListener, Server } from 'node:http'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { pino } from 'pino'
import { createApp as createExpressApp } from '../../examples/express/create-app.js'
import { createApp as createKoaApp } from '../../examples/koa/create-app.js'
import { createDatabase } from '../../src/db/create-database.js'
import { createBaselineServer } from './baseline-server.js'

const kind = process.argv[2]
const connectionString = process.env.BENCH_DATABASE_URL
const schema = process.env.BENCH_SCHEMA ?? 'bench'
if (!connectionString) throw new Error('BENCH_DATABASE_URL is required')

let listener: RequestListener
let close: () => Promise<void>
if (kind === 'baseline') {
  const baseline = createBaselineServer({ connectionString, schema })
  listener = (req, res) => baseline.emit('request', req, res)
  close = () => baseline.closePool()
} else if (kind === 'express' || kind === 'koa') {
  const upstream = await createDatabase<ClaimsDatabase>({ connectionString, schema })
  const logger = pino({ level: 'silent' })
  // one cursor secret for every server of the run, so a cursor made by one is valid on the others
  const secret = process.env.UPSTREAM_CURSOR_SECRET
  const http = secret ? { cursorSecret: secret } : {}
  listener = kind === 'express' ? createExpressApp({ upstream, logger, http }) : createKoaApp({ upstream, logger, http }).callback()
  close = () => upstream.destroy()
} else {
  throw new Error(`unknown server kind ${kind}; use express, koa or baseline`)
}

const server: Server = createServer((req, res) => {
  if (req.url === '/__cpu') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(process.cpuUsage()))
    return
  }
  listener(req, res)
})
server.keepAliveTimeout = 60_000
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`LISTENING ${(server.address() as AddressInfo).port}\n`)
})
process.once('SIGTERM', () => {
  server.close()
  server.closeAllConnections()
  void close().finally(() => process.exit(0))
})
