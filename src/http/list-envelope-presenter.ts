import type { JsonValue } from './json-value.js'

/**
 * A list page as a list service returns it: page-number (`count`) or cursor (no `count`).
 *
 * @example
 * ```ts
 * const page: ListEnvelope<ClaimRecord> = await listClaims(tenant, query, { url })
 * ```
 */
export interface ListEnvelope<Row> {
  /** Present on page-number and limit-offset pages (`null` where the list does not count). */
  readonly count?: number | null
  /** `true` where `count` is an estimate (large lists). */
  readonly count_is_estimate?: true
  readonly next: string | null
  readonly previous: string | null
  readonly results: readonly Row[]
}

/**
 * A list page as the API returns it.
 *
 * @example
 * ```ts
 * const body: ListEnvelopeJson<ClaimJson> = presentListEnvelope(page, presentClaim)
 * ```
 */
export type ListEnvelopeJson<Item extends JsonValue> = {
  readonly count?: number | null
  readonly count_is_estimate?: true
  readonly next: string | null
  readonly previous: string | null
  readonly results: readonly Item[]
}

/**
 * A list page with every row presented: `{count, next, previous, results}` for
 * page-number pages, `{next, previous, results}` for cursor pages.
 *
 * @example
 * ```ts
 * presentListEnvelope(await listClaims(tenant, query, { url }), presentClaim)
 * ```
 */
export function presentListEnvelope<Row, Item extends JsonValue>(
  envelope: ListEnvelope<Row>,
  present: (row: Row) => Item,
): ListEnvelopeJson<Item> {
  const results = envelope.results.map(present)
  if (!('count' in envelope)) return { next: envelope.next, previous: envelope.previous, results }
  return {
    count: envelope.count ?? null,
    ...(envelope.count_is_estimate ? { count_is_estimate: true as const } : {}),
    next: envelope.next,
    previous: envelope.previous,
    results,
  }
}
