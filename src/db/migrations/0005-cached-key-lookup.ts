import { sql } from 'kysely'
import type { Kysely } from 'kysely'
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
  const keys = sql.raw(`${quoteIdent(ctx.schema)}.api_keys`)
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await sql`
        create or replace function ${s}.authenticate_api_key(p_key_hash text)
        returns table (customer_id bigint, key_id bigint, scopes text[])
        language plpgsql stable security definer
        set search_path = pg_catalog, pg_temp
        as $fn$
        begin
          return query select k.customer_id, k.id, k.scopes from ${keys} k
            where k.key_hash = p_key_hash and k.revoked_at is null;
        end $fn$`.execute(db)
    },

    async down(db: Kysely<unknown>): Promise<void> {
      await sql`
        create or replace function ${s}.authenticate_api_key(p_key_hash text)
        returns table (customer_id bigint, key_id bigint, scopes text[])
        language sql stable security definer
        set search_path = pg_catalog, pg_temp
        as $fn$
          select k.customer_id, k.id, k.scopes from ${keys} k
          where k.key_hash = p_key_hash and k.revoked_at is null
        $fn$`.execute(db)
    },
  }
}
