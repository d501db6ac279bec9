import type { UpstreamDatabase } from '../../db/index.js'
import { failAbandonedUploads, type AbandonedUpload, type FailAbandonedUploadsOptions } from './fail-abandoned-uploads.js'

/**
 * Options of {@link startUploadSweeper}.
 *
 * @example
 * ```ts
 * const options: UploadSweeperOptions = { intervalMs: 60_000, olderThanMs: 120_000, onSwept: (u) => logger.warn(u, 'abandoned upload failed') }
 * ```
 */
export interface UploadSweeperOptions extends FailAbandonedUploadsOptions {
  /** Time between sweeps (ms). Default 60,000. The first sweep runs at once. */
  readonly intervalMs?: number
  /** Called with the uploads each sweep failed (not called when there were none). */
  readonly onSwept?: (uploads: readonly AbandonedUpload[]) => void
  /** Called when a sweep fails (the database unreachable, ...); the next one runs as planned. */
  readonly onError?: (error: unknown) => void
}

/**
 * A running sweeper.
 *
 * @example
 * ```ts
 * const sweeper = startUploadSweeper(upstream)
 * await sweeper.stop()
 * ```
 */
export interface UploadSweeper {
  /** Runs one sweep now (also what the timer runs); never throws, reports to `onError`. */
  sweep(): Promise<readonly AbandonedUpload[]>
  /** Stops the timer and waits for a sweep in progress. */
  stop(): Promise<void>
}

/**
 * Runs {@link failAbandonedUploads} now and every `intervalMs`, so no upload stays
 * `processing` after the process loading it died. The timer does not keep the process
 * alive; stop it before closing the database. Any number of processes may run one.
 *
 * @example
 * ```ts
 * const sweeper = startUploadSweeper(upstream, {
 *   onSwept: (uploads) => logger.warn({ uploads }, 'abandoned uploads marked failed'),
 *   onError: (err) => logger.warn({ err }, 'upload sweep failed'),
 * })
 * process.once('SIGTERM', async () => { await sweeper.stop(); await upstream.destroy() })
 * ```
 */
export function startUploadSweeper<DB>(upstream: UpstreamDatabase<DB>, options: UploadSweeperOptions = {}): UploadSweeper {
  const intervalMs = options.intervalMs ?? 60_000
  if (!Number.isFinite(intervalMs) || intervalMs <= 0) throw new RangeError('intervalMs must be a positive number of milliseconds')
  let running: Promise<readonly AbandonedUpload[]> | undefined
  let stopped = false
  const sweep = (): Promise<readonly AbandonedUpload[]> => {
    running ??= failAbandonedUploads(upstream, options)
      .then(
        (uploads) => {
          if (uploads.length > 0) options.onSwept?.(uploads)
          return uploads
        },
        (error: unknown) => {
          options.onError?.(error)
          return []
        },
      )
      .finally(() => {
        running = undefined
      })
    return running
  }
  const timer = setInterval(() => void sweep(), intervalMs)
  timer.unref()
  void sweep()
  return Object.freeze({
    sweep: () => (stopped ? Promise.resolve([]) : sweep()),
    stop: async () => {
      stopped = true
      clearInterval(timer)
      await running
    },
  })
}
