import type { ClaimsDatabase } from '../../src/claims/index.js'
/**
 * One measured ingestion, in a process of its own so that its peak RSS is the service's:
 * `node --import tsx bench/ingestion/ingest-child.ts <url> <schema> <customerId> <file>` (the bench
 * bundles it to plain JavaScript first).
 * Prints one JSON line: `{"ms", "rows", "maxRssMiB", "status"}`.
 */
import { createReadStream } from 'node:fs'
import { createDatabase } from '../../src/db/create-database.js'
import { ingestUpload } from '../../src/claims/ingestion/ingest-upload.js'
import { claimsTenant } from '../../src/claims/index.js'

const [url, schema, customerId, file] = process.argv.slice(2)
if (!url || !schema || !customerId || !file) throw new Error('usage: ingest-child.ts <url> <schema> <customerId> <file>')
const upstream = await createDatabase<ClaimsDatabase>({ connectionString: url, schema })
try {
  const started = performance.now()
  const upload = await ingestUpload(claimsTenant(upstream, Number(customerId)), { filename: 'bench.csv', body: createReadStream(file) })
  const ms = performance.now() - started
  const maxRssMiB = process.resourceUsage().maxRSS / 1024
  console.log(JSON.stringify({ ms, rows: upload.row_count, maxRssMiB, status: upload.status }))
} finally {
  await upstream.destroy()
}
