/**
 * A worker of the async-upload bench, in a process of its own so that its peak RSS is the
 * worker's: `node worker-child.mjs <url> <schema>`. Prints `{"ready", "workers"}` once
 * started, and `{"maxRssMiB"}` on SIGTERM (after a graceful stop), then exits.
 * `WORKER_HEARTBEAT_MS` / `WORKER_STALE_AFTER_MS` change the crash-recovery timing.
 */
import { claimsJobTasks, type ClaimsDatabase } from '../../src/claims/index.js'
import { createDatabase } from '../../src/db/index.js'
import { runJobWorker } from '../../src/jobs/index.js'

const [url, schema] = process.argv.slice(2)
if (!url || !schema) throw new Error('usage: worker-child.ts <url> <schema>')
const env = (name: string) => (process.env[name] ? Number(process.env[name]) : undefined)
const upstream = await createDatabase<ClaimsDatabase>({ connectionString: url, schema, pool: { max: 3 } })
const worker = await runJobWorker({
  upstream,
  tasks: claimsJobTasks(upstream, { driftAfterUpload: false }),
  pollIntervalMs: 500,
  heartbeatIntervalMs: env('WORKER_HEARTBEAT_MS'),
  staleAfterMs: env('WORKER_STALE_AFTER_MS'),
})
console.log(JSON.stringify({ ready: true, workers: worker.workerIds() }))
process.once('SIGTERM', () => {
  void worker
    .stop()
    .then(() => upstream.destroy())
    .finally(() => {
      console.log(JSON.stringify({ maxRssMiB: process.resourceUsage().maxRSS / 1024 }))
      process.exit(0)
    })
})
