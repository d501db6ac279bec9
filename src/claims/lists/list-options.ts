import type { CountCache } from '../../list-query/index.js'
import type { CursorSecret } from '../../list-query/index.js'
import type { CountStrategy } from '../../list-query/index.js'

/**
 * Options of the domain lists ({@link listClaims}, {@link listUploads}, ...).
 *
 * @example
 * ```ts
 * const options: ListOptions = { url: 'https://api.example.com/api/v1/claims/?status=paid', cursorSecret: process.env.CURSOR_SECRET }
 * ```
 */
export interface ListOptions {
  /** The request's absolute URL; `next`/`previous` keep every other parameter of it. */
  readonly url: string | URL
  /** The HMAC secret of cursors; default `UPSTREAM_CURSOR_SECRET`, else a per-process random secret. */
  readonly cursorSecret?: CursorSecret
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
}
