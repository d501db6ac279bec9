/**
 * Whether a request's `Prefer` header (RFC 7240) asks for `preference`, such as
 * `respond-async`: any of the header's comma-separated preferences, compared without case,
 * ignoring their values and parameters (`Prefer: respond-async, wait=10` asks for
 * `respond-async` and `wait`). A server may ignore a preference; one that honours it says so
 * with `Preference-Applied`.
 *
 * @example
 * ```ts
 * prefers({ prefer: 'respond-async, wait=10' }, 'respond-async') // true
 * prefers({ prefer: ['return=minimal', 'Respond-Async'] }, 'respond-async') // true
 * prefers({}, 'respond-async') // false
 * ```
 */
export function prefers(headers: Readonly<Record<string, string | readonly string[] | undefined>>, preference: string): boolean {
  const raw = headers.prefer
  if (raw === undefined) return false
  const wanted = preference.toLowerCase()
  for (const header of typeof raw === 'string' ? [raw] : raw) {
    for (const item of header.split(',')) {
      const name = item.split(/[;=]/, 1)[0]!.trim().toLowerCase()
      if (name === wanted) return true
    }
  }
  return false
}
