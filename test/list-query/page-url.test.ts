import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { pageUrl } from '../../src/list-query/page-url.js'

/** The plain `URL` form pageUrl must match: parse, change the search params, serialize. */
function reference(requestUrl: string, changes: Readonly<Record<string, string | null>>): string {
  let absolute = true
  let url: URL
  try {
    url = new URL(requestUrl)
  } catch {
    absolute = false
    url = new URL(requestUrl, 'http://relative.invalid')
  }
  for (const [k, v] of Object.entries(changes)) {
    if (v === null) url.searchParams.delete(k)
    else url.searchParams.set(k, v)
  }
  return absolute ? url.href : `${url.pathname}${url.search}${url.hash}`
}

describe('pageUrl', () => {
  it('keeps every other parameter, absolute and relative, as URL serializes them', () => {
    const cases: [string, Record<string, string | null>][] = [
      ['https://api.example.com/api/v1/claims/?status=paid&page=2', { page: '3' }],
      ['https://api.example.com/api/v1/claims/?page=2', { page: null }],
      ['https://api.example.com/api/v1/claims/?', { page: '2' }],
      ['https://api.example.com/api/v1/claims/?', { page: null }],
      ['https://API.example.com:443/a b/?x=1+2&y=%20#frag', { cursor: 'abc.def', page: null }],
      ['/api/v1/claims/?search=a%26b&page=2#top', { page: '3' }],
      ['/api/v1/claims/', { limit: '10', offset: '20' }],
      ['http://u:p@h/x?a=1&a=2&b', { a: '3' }],
    ]
    for (const [url, changes] of cases) {
      expect(pageUrl(url, changes)).toBe(reference(url, changes))
      expect(pageUrl(url, changes)).toBe(reference(url, changes)) // again: the parsed URL is reused
    }
  })

  it('matches the URL form on random query strings and changes', () => {
    const key = fc.constantFrom('page', 'cursor', 'status', 'a b', '&', '?', '#', 'ä')
    fc.assert(
      fc.property(
        fc.constantFrom('https://h.example/p/', '/p/', 'http://h/p?', 'https://h/p/#f'),
        fc.array(fc.tuple(key, fc.string()), { maxLength: 5 }),
        fc.dictionary(key, fc.option(fc.string(), { nil: null })),
        (base, pairs, changes) => {
          const qs = new URLSearchParams(pairs).toString()
          const url = qs ? `${base.replace(/[?#].*$/, '')}?${qs}` : base
          expect(pageUrl(url, changes)).toBe(reference(url, changes))
        },
      ),
      { numRuns: 500 },
    )
  })
})
