import { z, type ZodType } from 'zod'

/** The pagination styles a list can answer with, and the name of each envelope. */
export const PAGE_STYLES = ['page_number', 'limit_offset', 'cursor'] as const
/** A pagination style. */
export type PageStyle = (typeof PAGE_STYLES)[number]

const ENVELOPE_NAMES: Record<PageStyle, string> = {
  page_number: 'PageNumberPage',
  limit_offset: 'LimitOffsetPage',
  cursor: 'CursorPage',
}

const pageUrl = (what: string) =>
  z
    .string()
    .nullable()
    .meta({ format: 'uri', description: `Absolute URL of the ${what} page (every other query parameter kept), or null.` })

const made = new Map<string, ZodType>()

/**
 * The envelope schema of one pagination style around one result schema, registered as a
 * named component (`PageNumberPage_Claim`, `LimitOffsetPage_Claim`, `CursorPage_Claim`).
 * The same pair always returns the same schema object.
 *
 * @param style - `page_number` (`{count, next, previous, results}`, the default),
 *   `limit_offset` (same envelope) or `cursor` (`{next, previous, results}`, opaque cursor URLs).
 * @param resultName - the component name of `result` (e.g. `Claim`).
 * @param result - the schema of one row.
 *
 * @example
 * ```ts
 * const ClaimPage = pageSchemaOf('page_number', 'Claim', ClaimSchema)
 * // components.schemas.PageNumberPage_Claim = { type: 'object', properties: { count, next, previous, results: { type: 'array', items: { $ref: '#/components/schemas/Claim' } } } }
 * ```
 */
export function pageSchemaOf(style: PageStyle, resultName: string, result: ZodType): ZodType {
  const name = pageSchemaName(style, resultName)
  const existing = made.get(name)
  if (existing) return existing
  const results = z.array(result)
  const schema =
    style === 'cursor'
      ? z.strictObject({ next: pageUrl('next'), previous: pageUrl('previous'), results })
      : z.strictObject({ count: z.number().int().min(0), next: pageUrl('next'), previous: pageUrl('previous'), results })
  const described = schema.meta({
    id: name,
    description:
      style === 'cursor'
        ? `A cursor page of ${resultName} rows; follow \`next\`/\`previous\` (opaque cursor URLs).`
        : `A ${style === 'page_number' ? 'page-number' : 'limit-offset'} page of ${resultName} rows; \`count\` is the total over all pages.`,
  })
  made.set(name, described)
  return described
}

/**
 * The component name of a page envelope.
 *
 * @example
 * ```ts
 * pageSchemaName('cursor', 'Claim') // 'CursorPage_Claim'
 * ```
 */
export function pageSchemaName(style: PageStyle, resultName: string): string {
  return `${ENVELOPE_NAMES[style]}_${resultName}`
}
