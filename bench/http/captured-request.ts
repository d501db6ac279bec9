/** One statement the library sent for a request, with its role in the answer. */
export interface CapturedStatement {
  readonly sql: string
  readonly parameters: readonly unknown[]
  /**
   * `auth`: the token lookup (must return a row); `count`: the count statement (its `result`
   * is `{count, estimated}` JSON, or null when the count is unchanged since the cached version); `rows`: the page's rows; `other`: run for its effect (transaction
   * control, `set_config`).
   */
  readonly role: 'auth' | 'count' | 'rows' | 'other'
}

/** What the library did for one benchmark request, for the hand-written server to repeat. */
export interface CapturedRequest {
  /** The request's path and query, e.g. `/api/v1/claims/?status=paid`. */
  readonly path: string
  /** The statements of a steady-state request (the library's count cache warm), in the order they ran. */
  readonly statements: readonly CapturedStatement[]
  /** The statements of the first request (count cache cold): the hand-written server runs them once to learn the count. */
  readonly firstStatements: readonly CapturedStatement[]
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
  if (text.includes('count_estimate') || /select\s+count\(/.test(text)) return 'count'
  if (text.includes('claim_records') && text.includes('limit')) return 'rows'
  return 'other'
}
