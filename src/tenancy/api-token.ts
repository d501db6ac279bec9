import { createHash, randomBytes } from 'node:crypto'

/**
 * The stored form of a bearer token: lowercase hex SHA-256 (the schema guide, docs/tenancy.md).
 *
 * @example
 * ```ts
 * hashApiToken('up_abc') // '5e3b...' (64 hex characters)
 * ```
 */
export function hashApiToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex')
}

/**
 * A new random bearer token (`up_` and 43 URL-safe characters, 256 bits), or a
 * deterministic one derived from `seed` (for seeding and tests only).
 *
 * @example
 * ```ts
 * const token = generateApiToken()
 * ```
 */
export function generateApiToken(seed?: string): string {
  const bytes = seed === undefined ? randomBytes(32) : createHash('sha256').update(`upstream-token:${seed}`).digest()
  return `up_${bytes.toString('base64url')}`
}
