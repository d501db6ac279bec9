/**
 * The server of the export bench, in its own process so its peak RSS is the export's alone:
 * the claims API on `node:http` (the adapter the Express and Koa examples use), on the schema
 * `EXPORT_SCHEMA`, with `EXPORT_BATCH_SIZE`-row batches. Prints `port=<n>` once listening.
 * Runs under tsx on the sources; export-server.mjs is the same server under plain node on the
 * built package.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { ClaimsDatabase } from '../../src/claims/index.js'
import { createClaimsHttpHandler } from '../../src/claims/index.js'
import { createDatabase } from '../../src/db/create-database.js'
import { fromNodeRequest, writeNodeResponse } from '../../src/http/index.js'

const upstream = await createDatabase<ClaimsDatabase>({
  connectionString: process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test',
  schema: process.env.EXPORT_SCHEMA || 'bench',
  pool: { max: 4 },
})
const batch = Number(process.env.EXPORT_BATCH_SIZE || 1000)
const handle = createClaimsHttpHandler({ upstream, exportBatchSize: batch })
const server = createServer((req, res) => {
  void handle(fromNodeRequest(req, { response: res }))
    .then((response) => writeNodeResponse(res, response))
    .catch(() => res.destroy())
})
server.listen(0, '127.0.0.1', () => console.log(`port=${(server.address() as AddressInfo).port}`))
process.on('SIGTERM', () => {
  server.close()
  void upstream.destroy().then(() => process.exit(0))
})
