import { z, type ZodType } from 'zod'
import type { ListDescription, PageEnvelopeKey, PageStyle, QueryParameterDescription } from './list-description.js'

/**
 * The part of a list spec's machine-readable description (`spec.description` of the
 * list-query module) the OpenAPI generator reads.
 *
 * @example
 * ```ts
 * const described: ListSpecDescriptionLike = claimsListSpec.description
 * ```
 */
export interface ListSpecDescriptionLike {
  readonly name: string
  readonly parameters: readonly {
    readonly name: string
    readonly kind: 'filter' | 'search' | 'ordering' | 'pagination'
    readonly schema: ZodType
    readonly description: string
    readonly explode: boolean
    readonly commaSeparated: boolean
    readonly enum?: readonly string[] | undefined
    readonly filter?: { readonly valueType: string; readonly lookup: string } | undefined
  }[]
  readonly pagination: { readonly styles: readonly PageStyle[]; readonly default: PageStyle }
  readonly envelopes: readonly { readonly style: PageStyle; readonly keys: readonly PageEnvelopeKey[] }[]
}

type ParameterLike = ListSpecDescriptionLike['parameters'][number]

const enumOf = (values: readonly string[]) => z.enum(values as [string, ...string[]])

/**
 * The typed schema of one value: the list spec describes every value as the string it is in
 * the URL; a generated client is better served by `integer`, `number` and `boolean` where the
 * value is one (the query serialization is the same text).
 */
function valueSchema(p: ParameterLike): ZodType {
  if (p.kind === 'pagination') {
    if (p.name === 'page') return z.union([z.number().int().min(1), z.literal('last')])
    if (p.name === 'page_size' || p.name === 'limit') return z.number().int().min(1)
    if (p.name === 'offset') return z.number().int().min(0)
  }
  if (p.enum && p.enum.length > 0) return enumOf(p.enum)
  switch (p.filter?.valueType) {
    case 'integer':
      return z.number().int()
    case 'number':
      return z.number()
    case 'boolean':
      return z.boolean()
    default:
      return p.schema
  }
}

/**
 * Turns a list spec's description (the same object that parses the list's requests) into
 * what {@link registerOperations} documents: typed query parameters (enums for filter
 * choices and ordering terms, arrays for repeatable and comma-separated parameters), the
 * pagination styles with the default first, and each style's envelope keys.
 *
 * @example
 * ```ts
 * import { claimsListSpec } from 'upstream'
 * const description = listDescriptionOf(claimsListSpec.description)
 * registry.registerPath({ method: 'get', path: '/claims/', request: { query: listQuerySchema(description) }, responses })
 * ```
 */
export function listDescriptionOf(description: ListSpecDescriptionLike): ListDescription {
  const parameters: QueryParameterDescription[] = description.parameters.map((p) => ({
    name: p.name,
    schema: valueSchema(p),
    description: p.description,
    explode: p.explode,
    commaSeparated: p.commaSeparated && !p.explode,
  }))
  const styles = [description.pagination.default, ...description.pagination.styles.filter((s) => s !== description.pagination.default)]
  return { name: description.name, parameters, pagination: styles, envelopes: description.envelopes }
}
