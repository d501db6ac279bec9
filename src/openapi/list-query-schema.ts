import { z, type ZodType } from 'zod'
import type { ListDescription } from './list-description.js'

/**
 * The zod object zod-to-openapi turns into the `parameters` of a list operation: every
 * parameter optional; a repeatable one as an array with `style: form, explode: true`, a
 * comma-separated one as an array with `style: form, explode: false`.
 *
 * @example
 * ```ts
 * registry.registerPath({ method: 'get', path: '/claims/', request: { query: listQuerySchema(description) }, responses })
 * ```
 */
export function listQuerySchema(description: ListDescription): z.ZodObject {
  const shape: Record<string, ZodType> = {}
  for (const parameter of description.parameters) {
    const list = parameter.explode || parameter.commaSeparated
    const param = {
      ...(parameter.description ? { description: parameter.description } : {}),
      ...(list ? { style: 'form' as const, explode: Boolean(parameter.explode) } : {}),
    }
    const value = list ? z.array(parameter.schema) : parameter.schema
    shape[parameter.name] = value.optional().meta({ param })
  }
  return z.object(shape)
}
