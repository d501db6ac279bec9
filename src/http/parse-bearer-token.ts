import { AuthenticationFailedError } from './errors/authentication-failed-error.js'
import { NotAuthenticatedError } from './errors/not-authenticated-error.js'

const MAX_TOKEN_LENGTH = 512

/**
 * Reads the token of an `Authorization: Bearer <token>` header (scheme case-insensitive).
 * No header (or an empty one) throws {@link NotAuthenticatedError}; `Bearer` alone, two
 * tokens, another scheme, a repeated header or an absurdly long token throw
 * {@link AuthenticationFailedError}.
 *
 * @example
 * ```ts
 * parseBearerToken('Bearer up_abc') // 'up_abc'
 * parseBearerToken('Basic dXNlcg==') // throws AuthenticationFailedError ("Invalid token.")
 * ```
 */
export function parseBearerToken(header: string | readonly string[] | undefined): string {
  if (header === undefined) throw new NotAuthenticatedError()
  if (typeof header !== 'string') {
    if (header.length === 0) throw new NotAuthenticatedError()
    if (header.length > 1) throw new AuthenticationFailedError('more than one Authorization header')
    return parseBearerToken(header[0])
  }
  const parts = header.trim().split(/\s+/).filter((p) => p.length > 0)
  if (parts.length === 0) throw new NotAuthenticatedError()
  if (parts[0]!.toLowerCase() !== 'bearer') throw new AuthenticationFailedError('not a Bearer scheme')
  if (parts.length === 1) throw new AuthenticationFailedError('Bearer without a token')
  if (parts.length > 2) throw new AuthenticationFailedError('more than one token')
  const token = parts[1]!
  if (token.length > MAX_TOKEN_LENGTH) throw new AuthenticationFailedError('token too long')
  return token
}
