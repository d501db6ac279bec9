import { z, type ZodType } from 'zod'
import type { PageEnvelopeKey, PageStyle } from './list-description.js'

const ENVELOPE_NAMES: Record<PageStyle, string> = {
  'page-number': 'PageNumberPage',
  'limit-offset': 'LimitOffsetPage',
  cursor: 'CursorPage',
}

const STANDARD_KEYS = (style: PageStyle): PageEnvelopeKey[] => [
  ...(style === 'cursor'
    ? []
    : [{ name: 'count', type: 'integer', nullable: false, required: true, description: 'Rows over all pages.' } as const]),
  { name: 'next', type: 'uri', nullable: true, required: true, description: 'Absolute URL of the next page (every other query parameter kept), or null.' },
  { name: 'previous', type: 'uri', nullable: true, required: true, description: 'Absolute URL of the previous page, or null.' },
  { name: 'results', type: 'array', nullable: false, required: true, description: 'The rows of this page.' },
]

const made = new Map<string, { signature: string; result: ZodType; schema: ZodType }>()

function keySchema(key: PageEnvelopeKey, result: ZodType): ZodType {
  let schema: ZodType
  switch (key.type) {
    case 'integer':
      schema = z.number().int().min(0)
      break
    case 'uri':
      schema = z.string().meta({ format: 'uri' })
      break
    case 'boolean':
      schema = z.boolean()
      break
    case 'array':
      schema = z.array(result)
      break
  }
  if (key.nullable) schema = schema.nullable()
  if (!key.required) schema = schema.optional()
  return schema.meta({ description: key.description })
}

/**
 * The envelope schema of one pagination style around one result schema, registered as a
 * named component: `PageNumberPage_Claim`, `LimitOffsetPage_Claim`, `CursorPage_Claim`.
 * Built from the list's own envelope keys when given (else the standard DRF envelopes);
 * the same style, result and keys always give the same schema object; a second, different
 * result schema under the same `resultName` throws a `TypeError`. Two lists whose
 * envelopes differ for the same result get distinct names (`..._Claim_<list>`).
 *
 * @example
 * ```ts
 * const ClaimPage = pageSchemaOf('page-number', 'Claim', ClaimSchema)
 * // components.schemas.PageNumberPage_Claim: { count, next, previous, results: Claim[] }
 * ```
 */
export function pageSchemaOf(style: PageStyle, resultName: string, result: ZodType, keys?: readonly PageEnvelopeKey[], listName?: string): ZodType {
  const envelopeKeys = keys ?? STANDARD_KEYS(style)
  const signature = JSON.stringify(envelopeKeys)
  let name = pageSchemaName(style, resultName)
  const existing = made.get(name)
  if (existing && existing.result !== result) {
    // One component name, two result schemas: the document would describe one of them wrongly.
    throw new TypeError(`pageSchemaOf: "${resultName}" already names another result schema; give this one its own name.`)
  }
  if (existing && existing.signature === signature) return existing.schema
  if (existing) {
    name = `${name}_${listName ?? 'list'}`
    const other = made.get(name)
    if (other && other.signature === signature) return other.schema
  }
  const shape = Object.fromEntries(envelopeKeys.map((key) => [key.name, keySchema(key, result)]))
  const schema = z.strictObject(shape).meta({
    id: name,
    description:
      style === 'cursor'
        ? `A cursor page of ${resultName} rows; follow \`next\`/\`previous\` (opaque cursor URLs).`
        : `A ${style} page of ${resultName} rows; \`count\` is the total over all pages.`,
  })
  made.set(name, { signature, result, schema })
  return schema
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
