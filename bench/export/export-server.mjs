/**
 * The server of the export bench, in its own process so its peak RSS is the export's alone:
 * the claims API on `node:http` (the adapter the Express and Koa examples use), on the schema
 * `EXPORT_SCHEMA`, with `EXPORT_BATCH_SIZE`-row batches. Prints `port=<n>` once listening.
 *
 * As an app runs it: plain `node` on the package built into `EXPORT_DIST_DIR` (no TypeScript
 * loader in the process, so its RSS is what a deployment sees). With `EXPORT_SOURCES=1`, under
 * `node --import tsx`, it loads the sources instead.
 */
import { createServer } from 'node:http'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

const sources = process.env.EXPORT_SOURCES === '1'
const root = sources ? new URL('../../src/', import.meta.url) : pathToFileURL(`${resolve(process.env.EXPORT_DIST_DIR || 'dist')}/`)
const load = (name) => import(new URL(sources ? `${name}/index.ts` : `${name}.js`, root).href)
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
