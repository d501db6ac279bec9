/**
 * The export bench's server as an app runs it: plain `node` on the built package (no tsx,
 * no TypeScript loader in the process), so its peak RSS is what a deployment would see.
 * The same server as export-server.ts otherwise: the claims API on `node:http` on the schema
 * `EXPORT_SCHEMA`, `EXPORT_BATCH_SIZE`-row batches, the package built into `EXPORT_DIST_DIR`.
 * Prints `port=<n>` once listening.
 */
import { createServer } from 'node:http'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

const dist = resolve(process.env.EXPORT_DIST_DIR || 'dist')
const load = (name) => import(pathToFileURL(join(dist, `${name}.js`)).href)
const [{ createClaimsHttpHandler }, { createDatabase }, { fromNodeRequest, writeNodeResponse }] = await Promise.all([load('claims'), load('db'), load('http')])

const upstream = await createDatabase({
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
server.listen(0, '127.0.0.1', () => console.log(`port=${server.address().port}`))
process.on('SIGTERM', () => {
  server.close()
  void upstream.destroy().then(() => process.exit(0))
})
