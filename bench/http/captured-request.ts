/** One statement the library sent for a request, with its role in the answer. */
export interface CapturedStatement {
  readonly sql: string
  readonly parameters: readonly unknown[]
  /**
   * `auth`: the token lookup (must return a row); `count`: its first row's first value is the
   * envelope's `count`; `rows`: the page's rows; `other`: run for its effect (transaction
   * control, `set_config`).
   */
  readonly role: 'auth' | 'count' | 'rows' | 'other'
}

/** What the library did for one benchmark request, for the hand-written server to repeat. */
export interface CapturedRequest {
  /** The request's path and query, e.g. `/api/v1/claims/?status=paid`. */
  readonly path: string
  /** The statements, in the order they ran. */
  readonly statements: readonly CapturedStatement[]
  /** The page size the answer has (rows beyond it only signal a next page). */
  readonly pageSize: number
  /** `page-number` answers carry `count`; `cursor` answers do not. */
  readonly style: 'page-number' | 'cursor'
}

/**
 * The role of one statement, from its text.
 *
 * @example
 * ```ts
 * roleOf('select count(*) as "count" from ...') // 'count'
 * ```
 */
export function roleOf(sql: string): CapturedStatement['role'] {
  const text = sql.toLowerCase()
  if (text.includes('api_key')) return 'auth'
  if (/^\s*select\s+count\(/.test(text) || /select count\(\*\)/.test(text)) return 'count'
  if (text.includes('claim_records') && text.includes('limit')) return 'rows'
  return 'other'
}
