import { AuthenticationFailedError } from './errors/authentication-failed-error.js'
import type { HttpRequest } from './http-request.js'
import { parseBearerToken } from './parse-bearer-token.js'
import type { Principal } from './principal.js'

/**
 * Turns a request into a {@link Principal}, or throws {@link NotAuthenticatedError} /
 * {@link AuthenticationFailedError} (both answer 401 with `WWW-Authenticate: Bearer`).
 * Replace it to authenticate your own way (sessions, JWTs, mTLS).
 *
 * @example
 * ```ts
 * const authenticate: Authenticator = async (request) => {
 *   const claims = await verifyJwt(parseBearerToken(request.headers.authorization))
 *   return { customerId: claims.tenant, scopes: claims.scope.split(' ') }
 * }
 * ```
 */
export type Authenticator = (request: HttpRequest) => Promise<Principal>

/**
 * Resolves a bearer token to its principal, or `undefined` for an unknown or revoked one.
 *
 * @example
 * ```ts
 * const resolve: TokenResolver = async (token) => (token === process.env.ADMIN_TOKEN ? { customerId: 1, scopes: ['read'] } : resolveApiKey(upstream, token))
 * ```
 */
export type TokenResolver = (token: string) => Promise<Principal | undefined>

/**
 * An {@link Authenticator} for `Authorization: Bearer <token>` with the given resolver
 * (by default the core uses `resolveApiKey(upstream, token)`: SHA-256 lookup in `api_keys`).
 *
 * @example
 * ```ts
 * const authenticate = bearerAuthenticator((token) => resolveApiKey(upstream, token))
 * const principal = await authenticate(request)
 * ```
 */
export function bearerAuthenticator(resolve: TokenResolver): Authenticator {
  return async (request) => {
    const token = parseBearerToken(request.headers.authorization)
    const principal = await resolve(token)
    if (!principal) throw new AuthenticationFailedError('unknown or revoked token')
    return principal
  }
}
