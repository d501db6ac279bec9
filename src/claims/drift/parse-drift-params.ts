import type { z } from 'zod'
import { ValidationError } from '../../errors/index.js'
import { driftParamsSchema, type DriftParams } from './drift-params-schema.js'

/** The key DRF uses for errors that belong to no single field. */
const NON_FIELD = 'non_field_errors'

function fieldErrors(error: z.ZodError): Record<string, string[]> {
  // keys come from the client: `constructor`, `toString` or `__proto__` are plain keys here
  const fields: Record<string, string[]> = Object.create(null) as Record<string, string[]>
  const add = (key: string, message: string) => {
    const list = (fields[key] ??= [])
    if (!list.includes(message)) list.push(message)
  }
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) add(key, 'Unknown field.')
      continue
    }
    const key = issue.path.length > 0 ? String(issue.path[0]) : NON_FIELD
    add(key, issue.message)
  }
  return fields
}

/**
 * Parses a drift request body with {@link driftParamsSchema}. `undefined` or `null`
 * means "all defaults". Every problem is reported at once, per field, in DRF's shape
 * (`{"alpha": ["Ensure this value is less than 1."], "foo": ["Unknown field."]}`).
 *
 * @throws {@link errors!ValidationError} when the body is not an object, names an unknown
 * field, or holds an invalid value.
 *
 * @example
 * ```ts
 * parseDriftParams({ baseline_days: 60 }).baseline_days // 60
 * parseDriftParams({ alpha: 2 }) // throws ValidationError { alpha: ['Ensure this value is less than 1.'] }
 * ```
 */
export function parseDriftParams(input: unknown): DriftParams {
  const result = driftParamsSchema.safeParse(input ?? {})
  if (result.success) return result.data
  throw new ValidationError(fieldErrors(result.error), { cause: result.error })
}
