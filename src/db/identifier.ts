import { ValidationError } from '../errors/index.js'

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/

/**
 * Checks that a schema or role name is a plain lowercase PostgreSQL identifier.
 * Such names are interpolated into DDL and `set_config`, so anything else is refused.
 *
 * @example
 * ```ts
 * assertIdentifier('upstream', 'schema') // 'upstream'
 * assertIdentifier('Robert"; drop', 'schema') // throws ValidationError
 * ```
 */
export function assertIdentifier(name: string, what: string): string {
  if (!IDENTIFIER.test(name)) {
    throw new ValidationError({ [what]: [`"${name}" is not a lowercase PostgreSQL identifier ([a-z_][a-z0-9_]*, at most 63 characters).`] })
  }
  return name
}
