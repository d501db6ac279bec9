import { UpstreamError, type ErrorBody } from './upstream-error.js'

/**
 * The caller's `AbortSignal` fired: the work stopped, its running statement was cancelled in
 * PostgreSQL (a cancel request, not only a dropped promise) and its transaction rolled back;
 * nothing was saved. `cause` is the signal's `reason`. Over HTTP it is status 499 (nginx's
 * "client closed request"): the client is gone, so nobody reads the answer, and it is never
 * logged as a server error.
 *
 * @example
 * ```ts
 * const controller = new AbortController()
 * setTimeout(() => controller.abort(), 100)
 * try {
 *   await forTenant(upstream, 7).read(({ db }) => sql`select pg_sleep(5)`.execute(db), { signal: controller.signal })
 * } catch (e) {
 *   if (e instanceof RequestAbortedError) console.info('cancelled:', e.cause) // the statement no longer runs
 * }
 * ```
 */
export class RequestAbortedError extends UpstreamError {
  readonly code = 'request_aborted'
  override readonly status = 499
  constructor(options?: { cause?: unknown }) {
    super('The operation was aborted by its signal; its statement was cancelled and nothing was saved.', options)
  }
  override responseBody(): ErrorBody {
    return { detail: 'Client closed request.' }
  }

  /**
   * Throws a {@link RequestAbortedError} (with the signal's reason as `cause`) when the signal
   * has fired; does nothing without a signal.
   *
   * @example
   * ```ts
   * RequestAbortedError.throwIfAborted(options.signal) // before any query
   * ```
   */
  static throwIfAborted(signal: AbortSignal | undefined): void {
    if (signal?.aborted) throw new RequestAbortedError({ cause: signal.reason })
  }
}
