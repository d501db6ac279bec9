import { sql } from 'kysely'
import type { Kysely } from 'kysely'
import type { MigrationContext } from './migration-context.js'
import { currentTenantSql, quoteIdent } from '../internal.js'

/**
 * Core migration 0001: the schema, the runtime role, `customers` and `api_keys` under
 * row-level security (enabled and forced, keyed on the transaction-local
 * `upstream.customer_id`), and `authenticate_api_key(key_hash)`, the one way to look a token
 * up before a tenant is known.
 *
 * On a database made by the four migrations of the first layout, this is the tenancy half of
 * that layout's `0001-initial-schema` and is recorded as applied, not run.
 */
export function tenantsAndApiKeys(ctx: MigrationContext) {
  const s = sql.id(ctx.schema)
  const role = sql.id(ctx.runtimeRole)
  const tenant = currentTenantSql()
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await sql`create schema if not exists ${s}`.execute(db)
      // Roles are cluster-wide: create once, tolerate a concurrent creator.
      await sql`
        do $$ begin
          if not exists (select from pg_roles where rolname = ${sql.lit(ctx.runtimeRole)}) then
            create role ${role} nologin noinherit;
          end if;
        exception when duplicate_object or unique_violation then null;
        end $$`.execute(db)
      // The owner must be a member of the runtime role to switch to it with SET LOCAL ROLE.
      await sql`
        do $$ begin
          execute format('grant %I to %I', ${sql.lit(ctx.runtimeRole)}, current_user);
        exception when others then null;
        end $$`.execute(db)

      await sql`
        create table ${s}.customers (
          id bigint generated always as identity primary key,
          name text not null unique,
          created_at timestamptz not null default now()
        )`.execute(db)

      await sql`
        create table ${s}.api_keys (
          customer_id bigint not null references ${s}.customers (id) on delete cascade,
          id bigint generated always as identity,
          key_hash text not null unique check (key_hash ~ '^[0-9a-f]{64}$'),
          scopes text[] not null default '{read,write}',
          label text,
          created_at timestamptz not null default now(),
          revoked_at timestamptz,
          primary key (customer_id, id)
        )`.execute(db)

      // Row-level security: fail closed (no tenant set -> NULL -> no row matches).
      await sql`alter table ${s}.customers enable row level security`.execute(db)
      await sql`alter table ${s}.customers force row level security`.execute(db)
      await sql`create policy tenant_isolation on ${s}.customers using (id = ${tenant}) with check (id = ${tenant})`.execute(db)
      // Provisioning customers is the owner's job (the runtime role sees only its own row).
      await sql`create policy customers_owner_admin on ${s}.customers to current_user using (true) with check (true)`.execute(db)
      await sql`alter table ${s}.api_keys enable row level security`.execute(db)
      await sql`alter table ${s}.api_keys force row level security`.execute(db)
      await sql`
        create policy tenant_isolation on ${s}.api_keys
          using (customer_id = ${tenant}) with check (customer_id = ${tenant})`.execute(db)
      // Token lookup happens before a tenant is known: only through this function,
      // which runs as the migrating role (the policy below admits only that role).
      await sql`create policy api_keys_owner_lookup on ${s}.api_keys for select to current_user using (true)`.execute(db)
      await sql`
        create function ${s}.authenticate_api_key(p_key_hash text)
        returns table (customer_id bigint, key_id bigint, scopes text[])
        language sql stable security definer
        set search_path = pg_catalog, pg_temp
        as $fn$
          select k.customer_id, k.id, k.scopes from ${sql.raw(quoteIdent(ctx.schema))}.api_keys k
          where k.key_hash = p_key_hash and k.revoked_at is null
        $fn$`.execute(db)

      await sql`grant usage on schema ${s} to ${role}`.execute(db)
      await sql`grant select, insert, update, delete on ${s}.customers, ${s}.api_keys to ${role}`.execute(db)
      await sql`grant usage, select on all sequences in schema ${s} to ${role}`.execute(db)
      await sql`grant execute on function ${s}.authenticate_api_key(text) to ${role}`.execute(db)
    },

    async down(db: Kysely<unknown>): Promise<void> {
      await sql`drop function if exists ${s}.authenticate_api_key(text)`.execute(db)
      await sql`drop table if exists ${s}.api_keys cascade`.execute(db)
      await sql`drop table if exists ${s}.customers cascade`.execute(db)
    },
  }
}
