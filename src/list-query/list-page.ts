/**
 * The envelope of a page-number or limit-offset page (the HTTP API guide, docs/http-api.md):
 * `{count, next, previous, results}`, plus `count_is_estimate: true` only when `count` is the
 * planner's estimate. `count` is `null` for lists with the `none` count strategy.
 *
 * @example
 * ```ts
 * const page: CountedPage<{ id: number }> = { count: 120, next: 'https://x/api/v1/claims/?page=2', previous: null, results: [{ id: 1 }] }
 * ```
 */
export interface CountedPage<R> {
  count: number | null
  next: string | null
  previous: string | null
  results: R[]
  count_is_estimate?: true
}

/**
 * The envelope of a cursor page: `{next, previous, results}` with opaque cursor URLs.
 *
 * @example
 * ```ts
 * const page: CursorPage<{ id: number }> = { next: 'https://x/api/v1/claims/?cursor=eyJ2Ijpb...', previous: null, results: [] }
 * ```
 */
export interface CursorPage<R> {
  next: string | null
  previous: string | null
  results: R[]
}

/**
 * A page of any style.
 *
 * @example
 * ```ts
 * if ('count' in page) console.log(page.count)
 * ```
 */
export type ListPage<R> = CountedPage<R> | CursorPage<R>
