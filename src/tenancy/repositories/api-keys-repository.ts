import { sql, type Kysely } from 'kysely'
import type { ApiKey, CoreDatabase } from '../../db/index.js'
import { NotFoundError } from '../../errors/index.js'
import { ValidationError } from '../../errors/index.js'
import { generateApiToken, hashApiToken } from '../api-token.js'

/**
 * The scopes a key can carry: `read` (GET requests) and `write` (POST requests). A new key
 * gets both unless told otherwise.
 *
 * @example
 * ```ts
 * const needed = method === 'GET' ? 'read' : 'write'
 * API_KEY_SCOPES.includes(needed) // true
 * ```
 */
export const API_KEY_SCOPES = ['read', 'write'] as const
/**
 * A key scope: one of {@link API_KEY_SCOPES}.
 *
 * @example
 * ```ts
 * const readOnly: ApiKeyScope[] = ['read']
 * await forTenant(upstream, 7).transaction(({ apiKeys }) => apiKeys.create({ scopes: readOnly, label: 'dashboard' }))
 * ```
 */
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number]

/**
 * A key just made, with its token: the only time the token is known (only its SHA-256 is
 * stored, so a lost token cannot be recovered; revoke the key and make another).
 *
 * @example
 * ```ts
 * const { token, apiKey }: CreatedApiKey = await forTenant(upstream, 7).transaction(({ apiKeys }) =>
 *   apiKeys.create({ label: 'ci' }),
 * )
 * console.log(`key ${apiKey.id}: Authorization: Bearer ${token}`) // show it once
 * ```
 */
export interface CreatedApiKey {
  /** The bearer token to hand to the client; only its hash is stored. */
  readonly token: string
  /** The stored row. */
  readonly apiKey: ApiKey
}

/**
 * One tenant's API keys.
 *
 * @example
 * ```ts
 * const { token } = await forTenant(upstream, 7).transaction(({ apiKeys }) => apiKeys.create({ scopes: ['read'] }))
 * ```
 */
export class ApiKeysRepository {
  readonly #db: Kysely<CoreDatabase>
  readonly #customerId: number

  constructor(db: Kysely<CoreDatabase>, customerId: number) {
    this.#db = db
    this.#customerId = customerId
  }

  /** Makes a key; `token` may be given (tests, seeding), else a random one is drawn. */
  async create(options: { scopes?: readonly ApiKeyScope[]; label?: string | null; token?: string } = {}): Promise<CreatedApiKey> {
    const scopes = [...new Set(options.scopes ?? API_KEY_SCOPES)]
    const unknown = scopes.filter((s) => !(API_KEY_SCOPES as readonly string[]).includes(s))
    if (unknown.length) throw new ValidationError({ scopes: [`Unknown scope(s): ${unknown.join(', ')}.`] })
    if (scopes.length === 0) throw new ValidationError({ scopes: ['A key needs at least one scope.'] })
    const token = options.token ?? generateApiToken()
    const apiKey = await this.#db
      .insertInto('api_keys')
      .values({ customer_id: this.#customerId, key_hash: hashApiToken(token), scopes, label: options.label ?? null })
      .returningAll()
      .executeTakeFirstOrThrow()
    return { token, apiKey }
  }

  /** The key, or `undefined`. */
  async findById(id: number): Promise<ApiKey | undefined> {
    return this.#db
      .selectFrom('api_keys')
      .selectAll()
      .where('customer_id', '=', this.#customerId)
      .where('id', '=', id)
      .executeTakeFirst()
  }

  /** This tenant's keys, newest first. */
  async list(): Promise<ApiKey[]> {
    return this.#db
      .selectFrom('api_keys')
      .selectAll()
      .where('customer_id', '=', this.#customerId)
      .orderBy('id', 'desc')
      .execute()
  }

  /** Revokes a key at once; revoked keys authenticate no more. */
  async revoke(id: number): Promise<ApiKey> {
    const row = await this.#db
      .updateTable('api_keys')
      // A second revocation keeps the first one's time.
      .set((eb) => ({ revoked_at: eb.fn.coalesce('revoked_at', sql<Date>`now()`) }))
      .where('customer_id', '=', this.#customerId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst()
    if (!row) throw new NotFoundError('api_keys', id)
    return row
  }
}
