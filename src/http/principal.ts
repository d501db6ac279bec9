/**
 * Who a request acts for, once authenticated: the tenant, the key and its scopes.
 * {@link tenancy!ResolvedApiKey} is one; an app's own authenticator may return its own.
 *
 * @example
 * ```ts
 * const principal: Principal = { customerId: 7, keyId: 3, scopes: ['read'] }
 * ```
 */
export interface Principal {
  /** The tenant (`customers.id`) every read and write is scoped to. */
  readonly customerId: number
  /** The API key's id, when the request was authenticated by one (the throttle key). */
  readonly keyId?: number
  /** Granted scopes, such as `read` and `write`. */
  readonly scopes: readonly string[]
}
