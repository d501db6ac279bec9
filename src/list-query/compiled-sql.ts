/**
 * Shifts the `$n` placeholders of compiled SQL by `offset`, to splice compiled fragments into
 * one statement. Compiled Kysely SQL carries every value as a parameter, so `$` appears only in
 * placeholders.
 *
 * @example
 * ```ts
 * shiftPlaceholders('a = $1 and b = $2', 3) // 'a = $4 and b = $5'
 * ```
 */
export function shiftPlaceholders(text: string, offset: number): string {
  if (offset === 0) return text
  // a list's statements come back from the compile caches as the same string objects, request
  // after request: looked up by the text itself (a string's hash is computed once), then the offset
  let byOffset = shiftedTexts.get(text)
  if (!byOffset) {
    if (shiftedTexts.size >= MAX_SHIFTED) shiftedTexts.clear()
    shiftedTexts.set(text, (byOffset = new Map()))
  }
  let shifted = byOffset.get(offset)
  if (shifted === undefined) byOffset.set(offset, (shifted = text.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`)))
  return shifted
}

const shiftedTexts = new Map<string, Map<number, string>>()
const MAX_SHIFTED = 1000

function literal(value: unknown): string {
  if (value === null || value === undefined) return 'null'
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('Cannot inline a non-finite number')
    return String(value)
  }
  if (typeof value === 'bigint') return value.toString()
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  if (value instanceof Date) return literal(value.toISOString())
  if (typeof value === 'string') {
    if (value.includes('\u0000')) throw new TypeError('Cannot inline a NUL character')
    const body = value.replaceAll("'", "''")
    return value.includes('\\') ? `E'${body.replaceAll('\\', '\\\\')}'` : `'${body}'`
  }
  throw new TypeError(`Cannot inline a ${typeof value}`)
}

/**
 * Replaces the `$n` placeholders of compiled SQL with quoted literals (PostgreSQL's
 * `quote_literal` rules), for statements that take SQL text (`EXPLAIN` inside a function).
 * Only strings, numbers, booleans, dates and null are accepted.
 *
 * @example
 * ```ts
 * inlineParameters('select * from t where a = $1 and b ilike $2', [5, "%o'k%"]) // "... a = 5 and b ilike '%o''k%'"
 * ```
 */
export function inlineParameters(text: string, parameters: readonly unknown[]): string {
  return text.replace(/\$(\d+)/g, (_, n: string) => {
    const i = Number(n) - 1
    if (i < 0 || i >= parameters.length) throw new TypeError(`No parameter $${n}`)
    return literal(parameters[i])
  })
}
