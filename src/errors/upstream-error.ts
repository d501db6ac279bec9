/**
 * The base class of every error the library throws on purpose. `code` is stable
 * and machine-readable; `cause` keeps the underlying error (a `pg` error, a zod issue).
 *
 * @example
 * ```ts
 * try { await work() } catch (e) { if (e instanceof UpstreamError) console.log(e.code) }
 * ```
 */
export abstract class UpstreamError extends Error {
  /** A stable identifier of the failure, such as `not_found`. */
  abstract readonly code: string
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = new.target.name
  }
}
