/**
 * Escapes LIKE/ILIKE wildcards (`%`, `_`) and the escape character (`\`) in user input, so
 * `search=50%_off` matches the text `50%_off` literally (PostgreSQL's default escape is `\`).
 *
 * @example
 * ```ts
 * escapeLike('50%_off') // '50\\%\\_off'
 * ```
 */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, '\\$&')
}
