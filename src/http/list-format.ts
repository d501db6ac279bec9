import { ValidationError } from '../errors/index.js'
import type { HttpRequest } from './http-request.js'
import { headerValue } from './media-type.js'

/**
 * How a list answers: a JSON page (the default), or every row streamed as CSV or NDJSON.
 *
 * @example
 * ```ts
 * const format: ListFormat = 'csv'
 * ```
 */
export type ListFormat = 'json' | 'csv' | 'ndjson'

/**
 * The values of the `format` query parameter, in order of preference on ties of `Accept`.
 *
 * @example
 * ```ts
 * LIST_FORMATS // ['json', 'csv', 'ndjson']
 * ```
 */
export const LIST_FORMATS: readonly ListFormat[] = Object.freeze(['json', 'csv', 'ndjson'])

/**
 * The media type of each list format (CSV with its charset, as the response says it).
 *
 * @example
 * ```ts
 * LIST_MEDIA_TYPES.csv // 'text/csv'
 * ```
 */
export const LIST_MEDIA_TYPES: Readonly<Record<ListFormat, string>> = Object.freeze({
  json: 'application/json',
  csv: 'text/csv',
  ndjson: 'application/x-ndjson',
})

interface MediaRange {
  readonly type: string
  readonly subtype: string
  readonly q: number
}

function parseAccept(header: string): MediaRange[] {
  const ranges: MediaRange[] = []
  for (const part of header.split(',')) {
    const [range, ...params] = part.split(';')
    const [type, subtype] = (range ?? '').trim().toLowerCase().split('/')
    if (!type || !subtype) continue
    let q = 1
    for (const p of params) {
      const [name, value] = p.split('=').map((x) => x.trim())
      if (name?.toLowerCase() === 'q') {
        const n = Number(value)
        q = Number.isFinite(n) ? Math.min(Math.max(n, 0), 1) : 0
      }
    }
    ranges.push({ type, subtype, q })
  }
  return ranges
}

/** The q of a media type under an Accept header: its most specific matching range decides (RFC 9110 12.5.1). */
function qualityOf(mediaType: string, ranges: readonly MediaRange[]): number {
  const [type, subtype] = mediaType.split('/')
  let best = -1
  let specificity = -1
  for (const r of ranges) {
    const s = r.type === type && r.subtype === subtype ? 2 : r.type === type && r.subtype === '*' ? 1 : r.type === '*' && r.subtype === '*' ? 0 : -1
    if (s > specificity) {
      specificity = s
      best = r.q
    }
  }
  return best
}

/**
 * The format a list request asks for. The `format` query parameter (Django REST Framework's
 * URL format override) wins: `json`, `csv` or `ndjson`; anything else, or a repeated
 * `format`, is a 400 naming the choices. Without it, `Accept` decides: the highest-q of
 * `application/json`, `text/csv` and `application/x-ndjson`, JSON on ties (so `*\/*` and
 * browsers get JSON). An `Accept` naming none of them gets JSON too, as before exports
 * existed (a server may ignore `Accept`, RFC 9110).
 *
 * @example
 * ```ts
 * listFormatOf({ ...request, query: new URLSearchParams('format=csv') }) // 'csv'
 * listFormatOf({ ...request, headers: { accept: 'application/x-ndjson' } }) // 'ndjson'
 * listFormatOf({ ...request, query: new URLSearchParams('format=xml') }) // throws ValidationError { format: [...] }
 * ```
 */
export function listFormatOf(request: Pick<HttpRequest, 'query' | 'headers'>): ListFormat {
  const given = request.query.getAll('format').filter((v) => v !== '')
  if (given.length > 1) throw new ValidationError({ format: [`Only one value is allowed; got ${given.length}.`] })
  const format = given[0]
  if (format !== undefined) {
    if ((LIST_FORMATS as readonly string[]).includes(format)) return format as ListFormat
    throw new ValidationError({ format: [`Select a valid choice. ${JSON.stringify(format.slice(0, 60))} is not one of: ${LIST_FORMATS.join(', ')}.`] })
  }
  const accept = headerValue(request.headers.accept)
  if (accept === undefined || accept.trim() === '') return 'json'
  const ranges = parseAccept(accept)
  let chosen: ListFormat = 'json'
  let chosenQ = 0
  for (const f of LIST_FORMATS) {
    const q = qualityOf(LIST_MEDIA_TYPES[f], ranges)
    if (q > chosenQ) {
      chosen = f
      chosenQ = q
    }
  }
  return chosen
}
