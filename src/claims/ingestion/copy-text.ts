const SPECIAL = /[\\\t\n\r]/
const SPECIAL_ALL = /[\\\t\n\r]/g
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' }

/**
 * One value in PostgreSQL's COPY text format: `\N` for NULL; backslash, tab, newline and
 * carriage return escaped.
 *
 * @example
 * ```ts
 * copyTextValue('a\tb') // 'a\\tb'
 * copyTextValue(null)   // '\\N'
 * ```
 */
export function copyTextValue(value: string | number | null): string {
  if (value === null) return '\\N'
  const text = String(value)
  return SPECIAL.test(text) ? text.replace(SPECIAL_ALL, (c) => ESCAPES[c] ?? c) : text
}
