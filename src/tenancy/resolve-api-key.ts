import { CompiledQuery, sql } from 'kysely'
import type { UpstreamDatabase } from '../db/index.js'
import { hashApiToken } from './api-token.js'

// The lookup's text per database, compiled once (no query building per request).
const lookups = new Map<string, string>() // by schema

function lookupSql<DB>(upstream: UpstreamDatabase<DB>): string {
  let text = lookups.get(upstream.schema)
  if (text === undefined) {
    const fn = sql.id(upstream.schema, 'authenticate_api_key')
    text = sql`select customer_id, key_id, scopes from ${fn}(${'$token'})`.compile(upstream.db).sql
    if (lookups.size >= 64) lookups.clear() // many schemas (tests): stay bounded
    lookups.set(upstream.schema, text)
  }
  return text
}

/**
 * Who a bearer token belongs to: what {@link resolveApiKey} answers for a valid token.
 *
 * @example
 * ```ts
 * const key: ResolvedApiKey | undefined = await resolveApiKey(upstream, token)
 * // { customerId: 7, keyId: 3, scopes: ['read', 'write'] }
 * if (key && !key.scopes.includes('write')) return { status: 403 }
 * ```
 */
export interface ResolvedApiKey {
  /** The tenant. */
  readonly customerId: number
  /** The key's id. */
  readonly keyId: number
  /** The key's scopes (`read`, `write`). */
  readonly scopes: readonly string[]
}

/**
 * Resolves a bearer token to its tenant, or `undefined` for an unknown or revoked token.
 * The lookup is by the token's SHA-256 through a unique index: the database compares
 * hashes, never the token, so no timing reveals a token. It goes through the
 * `authenticate_api_key` function the migrations create, the one door through row-level
 * security before a tenant is known.
 *
 * @example
 * ```ts
 * const key = await resolveApiKey(upstream, token)
 * if (!key) return { status: 401 }
 * const tenant = forTenant(upstream, key.customerId)
 * ```
 */
export async function resolveApiKey<DB>(upstream: UpstreamDatabase<DB>, token: string): Promise<ResolvedApiKey | undefined> {
  const { rows } = await upstream.db.executeQuery<{ customer_id: number; key_id: number; scopes: string[] }>(
    CompiledQuery.raw(lookupSql(upstream), [hashApiToken(token)]),
  )
  const row = rows[0]
  return row ? Object.freeze({ customerId: row.customer_id, keyId: row.key_id, scopes: Object.freeze([...row.scopes]) }) : undefined
}
