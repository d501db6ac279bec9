/**
 * The first value of a header (`node:http` gives arrays for repeated ones).
 *
 * @example
 * ```ts
 * headerValue(['a', 'b']) // 'a'
 * ```
 */
export function headerValue(value: string | readonly string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : value?.[0]
}

/**
 * A request's media type: the `Content-Type` without parameters, lower case (`''` when absent).
 *
 * @example
 * ```ts
 * mediaTypeOf({ 'content-type': 'text/CSV; charset=utf-8' }) // 'text/csv'
 * ```
 */
export function mediaTypeOf(headers: Readonly<Record<string, string | readonly string[] | undefined>>): string {
  return (headerValue(headers['content-type']) ?? '').split(';')[0]!.trim().toLowerCase()
}
