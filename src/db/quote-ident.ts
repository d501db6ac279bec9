/** A double-quoted SQL identifier, for the few places (function bodies) where `sql.id` cannot reach. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}
