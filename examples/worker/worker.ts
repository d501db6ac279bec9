import { startWorker } from './start-worker.js'

// `npm run worker`: a background worker (run any number, on any machine) for asynchronous
// uploads (`Prefer: respond-async`), drift runs after uploads and durable drift subscribers.
// Environment: see start-worker.ts. SIGTERM or SIGINT: stop taking jobs, let running ones
// finish (WORKER_SHUTDOWN_TIMEOUT_MS, then they are released for a retry), exit 0.
// A second signal exits at once; the jobs still running are retried once the heartbeat expires.
const running = await startWorker(process.env)
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    running.logger.info({ signal }, 'stopping: finishing the running jobs')
    process.once(signal, () => process.exit(1))
    void running.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        running.logger.error({ err: error }, 'worker stop failed')
        process.exit(1)
      },
    )
  })
}
void running.worker.promise.catch((error: unknown) => {
  running.logger.error({ err: error }, 'worker failed')
  process.exit(1)
})
