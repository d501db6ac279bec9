import type { z } from 'zod'
import { ValidationError } from '@upstreamjs/upstream'

/** Parses a JSON body with a zod schema; a bad body is a 400 naming each field, as DRF answers. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body)
  if (result.success) return result.data
  const fields: Record<string, string[]> = {}
  for (const issue of result.error.issues) {
    const key = issue.path.length > 0 ? issue.path.join('.') : 'non_field_errors'
    ;(fields[key] ??= []).push(issue.message)
  }
  throw new ValidationError(fields)
}
