import { sql } from 'kysely'
import type { Kysely, RawBuilder } from 'kysely'
import type { MigrationContext } from './migration-context.js'
import { quoteIdent } from '../internal.js'

/**
 * Core migration 0005: `authenticate_api_key(key_hash)` in PL/pgSQL, same signature, result,
 * owner (`security definer`), `search_path` and grants. A SQL function that cannot be inlined
 * (a `security definer` one cannot) is parsed and planned on every call; PL/pgSQL keeps the
 * plan of its query for the connection's life, so the lookup that starts every authenticated
 * request stops paying a plan. The query still runs on every call, in the caller's snapshot:
 * a revoked key is refused at once, as before.
 *
 * ```sql
 * select * from upstream.authenticate_api_key('9f86d0...') -- customer_id | key_id | scopes
 * ```
 */
export function cachedKeyLookup(ctx: MigrationContext) {
  const s = sql.id(ctx.schema)
  const query = sql.raw(`select k.customer_id, k.id, k.scopes from ${quoteIdent(ctx.schema)}.api_keys k where k.key_hash = p_key_hash and k.revoked_at is null`)
  // the function as each side of the migration defines it: only its language and body differ
  const define = async (db: Kysely<unknown>, language: 'plpgsql' | 'sql', body: RawBuilder<unknown>): Promise<void> => {
    await sql`
      create or replace function ${s}.authenticate_api_key(p_key_hash text)
      returns table (customer_id bigint, key_id bigint, scopes text[])
      language ${sql.raw(language)} stable security definer
      set search_path = pg_catalog, pg_temp
      as $fn$ ${body} $fn$`.execute(db)
  }
  return {
    up: (db: Kysely<unknown>): Promise<void> => define(db, 'plpgsql', sql`begin return query ${query}; end`),
    down: (db: Kysely<unknown>): Promise<void> => define(db, 'sql', query),
  }
}
