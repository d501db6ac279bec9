/**
 * The API of the async-upload bench, in a process of its own so that its peak RSS is the
 * server's: `node api-child.mjs <url> <schema>`. Prints `{"port"}` once listening, and
 * `{"maxRssMiB"}` on SIGTERM, then exits.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createClaimsHttpHandler, type ClaimsDatabase } from '../../src/claims/index.js'
import { createDatabase } from '../../src/db/index.js'
import { fromNodeRequest, writeNodeResponse } from '../../src/http/index.js'

const [url, schema] = process.argv.slice(2)
if (!url || !schema) throw new Error('usage: api-child.ts <url> <schema>')
const upstream = await createDatabase<ClaimsDatabase>({ connectionString: url, schema })
const handle = createClaimsHttpHandler({ upstream, jobs: { driftAfterUpload: false }, maxUploadBytes: 200 * 1024 * 1024, schema: false })
const server = createServer(async (req, res) => writeNodeResponse(res, await handle(fromNodeRequest(req))))
server.requestTimeout = 0
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
console.log(JSON.stringify({ port: (server.address() as AddressInfo).port }))
process.once('SIGTERM', () => {
  server.close()
  void upstream.destroy().finally(() => {
    console.log(JSON.stringify({ maxRssMiB: process.resourceUsage().maxRSS / 1024 }))
    process.exit(0)
  })
})
