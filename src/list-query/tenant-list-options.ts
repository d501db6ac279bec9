import type { CountCache } from './count-cache.js'
import type { CursorSecrets } from './cursor-codec.js'
import type { CountStrategy } from './list-spec-description.js'

/**
 * Options of a tenant's list ({@link runTenantList}, and the claims domain's `listClaims`,
 * `listUploads`, ...).
 *
 * @example
 * ```ts
 * const options: ListOptions = { url: 'https://api.example.com/api/v1/products/?name=widget', cursorSecret }
 * const cancellable: ListOptions = { ...options, signal: request.signal } // stops when the client goes away
 * ```
 */
export interface ListOptions {
  /** The request's absolute URL; `next`/`previous` keep every other parameter of it. */
  readonly url: string | URL
  /** The HMAC secret of cursors, or a list of them for a rotation (the first signs, all verify); default the list machinery's per-process secret (see `defaultCursorSecret`). */
  readonly cursorSecret?: CursorSecrets
  /**
   * Where exact counts are kept between requests, invalidated by the tenant's data version.
   * Default: one in-memory cache per database ({@link list-query!createMemoryCountCache}); `false` disables it.
   */
  readonly countCache?: CountCache | false
  /** Overrides the list's deepest page-number offset. */
  readonly maxOffset?: number
  /** Overrides the list's count strategy (`{ kind: 'exact' }`, `{ kind: 'estimated', threshold }`, `{ kind: 'none' }`). */
  readonly count?: CountStrategy
  /** `statement_timeout` of the read transaction, in milliseconds. */
  readonly statementTimeoutMs?: number
  /** The tenant column of the list's table. Default `customer_id`. */
  readonly tenantColumn?: string
  /**
   * Cancels the list: its running statement is cancelled in PostgreSQL, its read rolls back
   * and the call rejects with `RequestAbortedError`. The HTTP core passes the request's
   * signal, which fires when the client goes away.
   */
  readonly signal?: AbortSignal
}
