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
  const raw = String(requestUrl)
  let absolute = true
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    absolute = false
    url = new URL(raw, 'http://relative.invalid')
  }
  for (const [k, v] of Object.entries(changes)) {
    if (v === null) url.searchParams.delete(k)
    else url.searchParams.set(k, v)
  }
  return absolute ? url.href : `${url.pathname}${url.search}${url.hash}`
}
