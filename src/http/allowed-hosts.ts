const HOST_NAME = /^(?=.{1,253}\.?$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\.?$/
const IPV6 = /^\[[0-9A-Fa-f:.]{2,45}\]$/

/**
 * Splits a `Host` header into its host name (lower case, no trailing dot) and port, or
 * `undefined` when it is not a valid `host[:port]` (RFC 9110 section 7.2: a DNS name, an
 * IPv4 address or a bracketed IPv6 address, and a port from 1 to 65535).
 *
 * @example
 * ```ts
 * parseHostHeader('API.example.com:8443') // { hostname: 'api.example.com', port: 8443 }
 * parseHostHeader('a b')                  // undefined
 * parseHostHeader('x:99999')              // undefined
 * ```
 */
export function parseHostHeader(value: string): { readonly hostname: string; readonly port: number | undefined } | undefined {
  const match = /^(\[[^\]]*\]|[^:]*)(?::(\d{1,5}))?$/.exec(value)
  if (!match) return undefined
  const [, name = '', portText] = match
  if (!(IPV6.test(name) || HOST_NAME.test(name))) return undefined
  const port = portText === undefined ? undefined : Number(portText)
  if (port !== undefined && (port < 1 || port > 65535)) return undefined
  return { hostname: name.toLowerCase().replace(/\.$/, ''), port }
}

/**
 * Whether a host name is served, by Django's `ALLOWED_HOSTS` rules: an exact name
 * (`api.example.com`), a leading dot for a domain and all its subdomains (`.example.com`),
 * or `*` for any. Case-insensitive; ports are not compared.
 *
 * @example
 * ```ts
 * hostAllowed('eu.api.example.com', ['.example.com']) // true
 * hostAllowed('example.org', ['api.example.com'])     // false
 * ```
 */
export function hostAllowed(hostname: string, allowedHosts: readonly string[]): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '')
  return allowedHosts.some((pattern) => {
    const p = pattern.trim().toLowerCase()
    if (p === '*') return true
    if (p.startsWith('.')) return host === p.slice(1) || host.endsWith(p)
    return host === p
  })
}
