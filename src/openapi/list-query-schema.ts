import { z, type ZodType } from 'zod'
import type { ListDescription } from './list-description.js'

/**
 * The zod object zod-to-openapi turns into the `parameters` of a list operation: every
 * parameter optional, repeatable ones as arrays with `style: form, explode: true`.
 *
 * @example
 * ```ts
 * registry.registerPath({ method: 'get', path: '/claims/', request: { query: listQuerySchema(description) }, responses })
 * ```
 */
export function listQuerySchema(description: ListDescription): z.ZodObject {
  const shape: Record<string, ZodType> = {}
  for (const parameter of description.parameters) {
    const param = {
      ...(parameter.description ? { description: parameter.description } : {}),
      ...(parameter.repeatable ? { style: 'form' as const, explode: true } : {}),
    }
    const value = parameter.repeatable ? z.array(parameter.schema) : parameter.schema
    shape[parameter.name] = value.optional().meta({ param })
  }
  return z.object(shape)
}
