/**
 * The URL of another page: the request URL with some parameters set or removed and every other
 * parameter kept. A relative request URL gives relative links.
 *
 * @example
 * ```ts
 * pageUrl('https://api.example.com/api/v1/claims/?status=paid&page=2', { page: '3' })
 * // 'https://api.example.com/api/v1/claims/?status=paid&page=3'
 * ```
 */
export function pageUrl(requestUrl: string | URL, changes: Readonly<Record<string, string | null>>): string {
  const parts = parsed(String(requestUrl))
  const entries = Object.entries(changes)
  if (entries.length === 0) return parts.unchanged // the search params untouched: URL keeps its form
  const params = new URLSearchParams(parts.query)
  for (const [k, v] of entries) {
    if (v === null) params.delete(k)
    else params.set(k, v)
  }
  // as `URL` serializes it once its search params change: no `?` when none are left
  const query = params.toString()
  return `${parts.prefix}${query === '' ? '' : `?${query}`}${parts.hash}`
}

interface ParsedUrl {
  /** Everything before the query: `https://host/path` (absolute) or `/path` (relative). */
  readonly prefix: string
  readonly query: string
  readonly hash: string
  /** The URL as `URL` writes it when its search params are not touched. */
  readonly unchanged: string
}

// A request's next and previous links come from the same URL: parse it once.
let last: { readonly raw: string; readonly parts: ParsedUrl } | undefined

function parsed(raw: string): ParsedUrl {
  if (last?.raw === raw) return last.parts
  let absolute = true
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    absolute = false
    url = new URL(raw, 'http://relative.invalid')
  }
  // `href` has no raw `?` or `#` before its query and fragment (they are percent-encoded there)
  const prefix = absolute ? url.href.split(/[?#]/, 1)[0]! : url.pathname
  const parts: ParsedUrl = { prefix, query: url.search, hash: url.hash, unchanged: absolute ? url.href : `${url.pathname}${url.search}${url.hash}` }
  last = { raw, parts }
  return parts
}
