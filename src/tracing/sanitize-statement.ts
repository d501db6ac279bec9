// Quoted identifiers (kept), string literals (E'', '', $tag$...$tag$), placeholders (kept), numbers.
const TOKENS = /("(?:[^"]|"")*")|((?:[eE]'(?:[^'\\]|\\.|'')*')|'(?:[^']|'')*'|\$([A-Za-z_][A-Za-z0-9_]*)?\$[\s\S]*?\$\3\$)|(\$\d+)|(\b\d+(?:\.\d+)?(?:[eE][-+]?\d+)?\b)/g

const known = new Map<string, string>()

/**
 * A statement's text with every literal (strings, dollar-quoted strings, numbers) replaced
 * by `?`, for `db.query.text`: values bound as parameters (`$1`) never appear in the text,
 * and values a statement inlines (the tenant id of a transaction's `set_config`) are hidden
 * the same way. Quoted identifiers and placeholders are kept. Results are memoized per
 * text (statements repeat; at most 1,000 are kept).
 *
 * @example
 * ```ts
 * sanitizeStatement(`select set_config('upstream.customer_id', '7', true) limit 50`)
 * // "select set_config(?, ?, true) limit ?"
 * sanitizeStatement('select * from "t_1"."uploads" where id = $1') // unchanged
 * ```
 */
export function sanitizeStatement(text: string): string {
  let out = known.get(text)
  if (out === undefined) {
    out = text.replace(TOKENS, (match: string, quoted?: string, _literal?: string, _tag?: string, placeholder?: string) =>
      quoted !== undefined || placeholder !== undefined ? match : '?',
    )
    if (known.size >= 1000) known.clear()
    known.set(text, out)
  }
  return out
}

/**
 * The command of a statement for `db.operation.name` and the span name: its first keyword in
 * upper case (`SELECT`, `INSERT`, `COPY`, `COMMIT`), `START TRANSACTION` for a transaction's start.
 *
 * @example
 * ```ts
 * statementOperation('start transaction isolation level read committed read only; select ...') // 'START TRANSACTION'
 * statementOperation('with page as (...) select ...') // 'WITH'
 * statementOperation('-- ingest\ncopy pg_temp.staging from stdin') // 'COPY' (leading comments skipped)
 * ```
 */
export function statementOperation(text: string): string {
  // leading comments (the ingestion's COPY starts with one) and parentheses are skipped
  const match = /^(?:\s+|\/\*[\s\S]*?\*\/|--[^\n]*\n|\()*([A-Za-z]+)(\s+transaction\b)?/i.exec(text)
  if (!match?.[1]) return 'SQL'
  return match[2] ? `${match[1].toUpperCase()} TRANSACTION` : match[1].toUpperCase()
}
