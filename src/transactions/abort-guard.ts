import type { Kysely, KyselyPlugin } from 'kysely'
import { sqlNeutralPlugin, withCancelHook, type CancelHook } from '../db/internal.js'
import { RequestAbortedError } from '../errors/index.js'

/**
 * What one attempt of a transaction with a `signal` does about that signal: on abort it
 * sends PostgreSQL a cancel request for the running statement (see {@link withCancelHook}),
 * stops the work's next statements before they are sent, and before `ROLLBACK` waits until
 * the cancel request was taken, so it can never hit a later statement of the connection.
 *
 * @example
 * ```ts
 * await withAbortGuard(signal, (guard) => db.connection().execute(async (conn) => {
 *   guard.watch()
 *   try { return await work(guard.wrap(conn)) } catch (e) { await guard.settle(); throw e } finally { await guard.release() }
 * }))
 * ```
 */
export interface AbortGuard {
  /** Starts listening (once the connection is held); throws when the signal already fired. */
  watch(): void
  /** The work's view of the connection: a statement built after the abort is never sent. */
  wrap<DB>(conn: Kysely<DB>): Kysely<DB>
  /** Whether the signal fired. */
  readonly aborted: boolean
  /** The typed error of an aborted attempt (`cause` = the signal's reason). */
  error(): RequestAbortedError
  /** Waits for a cancel request in flight (before `ROLLBACK`). */
  settle(): Promise<void>
  /** Makes the pool drop the connection (its `ROLLBACK` failed after a cancel). */
  discard(): void
  /** Stops listening and waits for a cancel request in flight: call before the connection goes back. */
  release(): Promise<void>
}

function abortPlugin(signal: AbortSignal): KyselyPlugin {
  // SQL-neutral: caches of compiled statements still hit, and run the check on a hit
  return sqlNeutralPlugin(() => RequestAbortedError.throwIfAborted(signal))
}

/**
 * Runs one attempt with an {@link AbortGuard} over `signal`. Without a signal, runs `attempt`
 * with no guard and no cost.
 *
 * @example
 * ```ts
 * const result = await withAbortGuard(options.signal, (guard) => attemptOnce(db, guard))
 * ```
 */
export function withAbortGuard<T>(signal: AbortSignal | undefined, attempt: (guard: AbortGuard | undefined) => Promise<T>): Promise<T> {
  if (!signal) return attempt(undefined)
  return withCancelHook((hook) => attempt(abortGuard(signal, hook)))
}

function abortGuard(signal: AbortSignal, hook: CancelHook): AbortGuard {
  let pending: Promise<void> | undefined
  const onAbort = () => {
    pending ??= hook.cancel()
  }
  const plugin = abortPlugin(signal)
  return {
    watch() {
      RequestAbortedError.throwIfAborted(signal)
      signal.addEventListener('abort', onAbort, { once: true })
    },
    wrap: (conn) => conn.withPlugin(plugin),
    get aborted() {
      return signal.aborted
    },
    error: () => new RequestAbortedError({ cause: signal.reason }),
    settle: async () => {
      if (pending) await pending
    },
    discard: () => hook.discard(),
    release: async () => {
      signal.removeEventListener('abort', onAbort)
      if (pending) await pending
    },
  }
}
