/**
 * A process that starts loading an upload and never finishes: its body sends a header and a
 * few rows, then nothing. Run by abandoned-upload.test.ts, which kills it (SIGKILL) mid-load.
 * argv: DATABASE_URL SCHEMA CUSTOMER_ID FILENAME
 */
import { createDatabase, claimsTenant, ingestUpload, type ClaimsDatabase } from '../../support/upstream.js'
import { HEADER, validRow } from '../../ingestion/csv-fixtures.js'

const [url, schema, customerId, filename] = process.argv.slice(2)
const upstream = await createDatabase<ClaimsDatabase>({ connectionString: url!, schema: schema! })
async function* body(): AsyncGenerator<Buffer> {
  yield Buffer.from(`${HEADER}\n${Array.from({ length: 50 }, (_, i) => validRow(i + 1, 'A')).join('\n')}\n`)
  await new Promise(() => undefined) // the rest never comes: the load waits inside its transaction
}
process.stdout.write('loading\n')
await ingestUpload(claimsTenant(upstream, Number(customerId)), { filename: filename!, body: body() })
