import type { ColumnType, Generated, Selectable } from 'kysely'
import type { Timestamp } from './column-types.js'

/**
 * `customers`: one row per tenant. The only table without `customer_id`. Created by the
 * database owner ({@link createCustomer}); the runtime role sees only its own row.
 *
 * @example
 * ```ts
 * const customer = await createCustomer(upstream, 'Acme Health') // { id: 7, name: 'Acme Health', created_at: Date }
 * ```
 */
export interface CustomersTable {
  /** The tenant id (`bigint` identity) that every other table's `customer_id` refers to. */
  id: Generated<number>
  /** The customer's name; unique across all customers. */
  name: string
  /** When the customer was created (database default `now()`); never updated. */
  created_at: ColumnType<Date, Date | string | undefined, never>
}

/**
 * `api_keys`: bearer tokens, stored as the lowercase hex SHA-256 of the token.
 * Written through {@link ApiKeysRepository}; read before a tenant is known only by
 * {@link resolveApiKey}.
 *
 * @example
 * ```ts
 * const keys = await forTenant(upstream, 7).read(({ apiKeys }) => apiKeys.list())
 * keys.filter((k) => k.revoked_at === null).map((k) => k.label)
 * ```
 */
export interface ApiKeysTable {
  /** The tenant that owns the key (set from the tenant scope, never by the caller). */
  customer_id: number
  /** The key's id (`bigint` identity); the primary key is `(customer_id, id)`. */
  id: Generated<number>
  /** Lowercase hex SHA-256 of the bearer token (64 characters, unique). The token itself is never stored. */
  key_hash: string
  /** What the key may do: `read` (GET) and/or `write` (POST). Default `{read,write}`. */
  scopes: ColumnType<string[], string[] | undefined, string[]>
  /** A free-text label for people (such as `ci`); `null` when none was given. */
  label: string | null
  /** When the key was made (database default `now()`); never updated. */
  created_at: ColumnType<Date, Date | string | undefined, never>
  /** When the key was revoked; `null` while it is active. A revoked key authenticates no more. */
  revoked_at: Timestamp | null
}

/**
 * A customer row, as selected.
 *
 * @example
 * ```ts
 * const customer: Customer = await createCustomer(upstream, 'Acme Health')
 * customer.id // 7
 * ```
 */
export type Customer = Selectable<CustomersTable>
/**
 * An API key row, as selected: the hash and metadata, never the token.
 *
 * @example
 * ```ts
 * const { token, apiKey } = await forTenant(upstream, 7).transaction(({ apiKeys }) => apiKeys.create({ label: 'ci' }))
 * apiKey.key_hash === hashApiToken(token) // true
 * ```
 */
export type ApiKey = Selectable<ApiKeysTable>

/**
 * The Kysely schema of the tenancy core that every database made by the core migrations has:
 * tenants and their API keys. An app's own `Database` type extends it with its tables.
 *
 * @example
 * ```ts
 * import type { CoreDatabase, Id } from '@upstreamjs/upstream/db'
 * interface ProductsTable { customer_id: number; id: Id; name: string }
 * interface AppDatabase extends CoreDatabase { products: ProductsTable }
 * const upstream = await createDatabase<AppDatabase>({ connectionString: process.env.DATABASE_URL })
 * ```
 */
export interface CoreDatabase {
  /** Tenants. */
  customers: CustomersTable
  /** Bearer tokens (hashed) per tenant. */
  api_keys: ApiKeysTable
}
