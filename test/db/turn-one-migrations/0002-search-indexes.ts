import { sql } from 'kysely'
import type { Kysely } from 'kysely'
import type { MigrationContext } from './migration-context.js'

/** The tables whose writes bump the per-tenant data version (the count cache's invalidation). */
export const VERSIONED_TABLES = ['uploads', 'claim_records', 'drift_reports', 'drift_events'] as const

/** Trigram GIN indexes: `(customer_id, column gin_trgm_ops)`, one per searched column. */
const TRIGRAM_INDEXES = [
  ['uploads', 'filename'],
  ['claim_records', 'claim_number'],
  ['claim_records', 'payer_name'],
  ['claim_records', 'cpt_code'],
] as const

/** Views the list searches go through (see the note in `up`). */
export const SEARCH_VIEWS = [
  ['uploads_search', 'uploads', ['filename']],
  ['claim_records_search', 'claim_records', ['claim_number', 'payer_name', 'cpt_code']],
] as const

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}

/**
 * Migration 0002, for the list queries:
 * - `pg_trgm` and `btree_gin` (created in `public` if absent; both are trusted extensions, so a
 *   database owner may create them; PGlite loads them in `createDatabase`), and a GIN index
 *   `(customer_id, col gin_trgm_ops)` per searched column, so `ilike '%term%'` for one tenant
 *   is an index scan;
 * - `data_versions (customer_id, version)`: a per-tenant counter bumped by statement-level
 *   triggers on every insert, update and delete of uploads, claim_records, drift_reports and
 *   drift_events, in the writing transaction (so it becomes visible exactly when the write
 *   commits). The count cache keys its entries on it;
 * - `count_estimate(query text, threshold bigint) returns json`: exact count up to `threshold`,
 *   the planner's estimate above it, in one statement (the `estimated` count strategy);
 * - `uploads_search`, `claim_records_search`: tenant-filtered views the searches go through, so
 *   the trigram indexes work under row-level security (see the note in `up`).
 */
export function searchIndexes(ctx: MigrationContext) {
  const s = sql.id(ctx.schema)
  const role = sql.id(ctx.runtimeRole)
  const q = quoteIdent(ctx.schema)
  const tenant = sql.raw(`nullif(current_setting('upstream.customer_id', true), '')::bigint`)
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await sql`
        do $$
        declare target text := case when exists (select from pg_namespace where nspname = 'public') then 'public' else ${sql.lit(ctx.schema)} end;
        begin
          perform pg_advisory_xact_lock(hashtext('upstream:create-extensions'));
          if not exists (select from pg_extension where extname = 'pg_trgm') then
            execute format('create extension pg_trgm schema %I', target);
          end if;
          if not exists (select from pg_extension where extname = 'btree_gin') then
            execute format('create extension btree_gin schema %I', target);
          end if;
        end $$`.execute(db)
      const found = await sql<{ nspname: string }>`
        select n.nspname from pg_opclass o
        join pg_namespace n on n.oid = o.opcnamespace
        join pg_am a on a.oid = o.opcmethod
        where o.opcname = 'gin_trgm_ops' and a.amname = 'gin'`.execute(db)
      const opclassSchema = found.rows[0]?.nspname
      if (!opclassSchema) throw new Error('pg_trgm is installed but gin_trgm_ops was not found')
      const opclass = sql.raw(`${quoteIdent(opclassSchema)}.gin_trgm_ops`)
      for (const [table, column] of TRIGRAM_INDEXES) {
        await sql`create index ${sql.id(`${table}_${column}_trgm_idx`)} on ${s}.${sql.id(table)} using gin (customer_id, ${sql.id(column)} ${opclass})`.execute(db)
      }

      // Search views: row-level security makes PostgreSQL evaluate the user's (non-leakproof)
      // ILIKE only after the policy, so it never becomes an index condition. These views run with
      // their owner's rights (the migrating role): when that role bypasses RLS (a superuser), the
      // view's own tenant condition applies instead and the trigram indexes serve the ILIKE.
      // With any other owner RLS still applies inside the view: same rows, no index.
      for (const [view, table, columns] of SEARCH_VIEWS) {
        await sql`
          create view ${s}.${sql.id(view)} as
          select customer_id, id, ${sql.join(columns.map((c) => sql.id(c)))} from ${s}.${sql.id(table)}
          where customer_id = ${tenant}`.execute(db)
        await sql`grant select on ${s}.${sql.id(view)} to ${role}`.execute(db)
      }

      await sql`
        create table ${s}.data_versions (
          customer_id bigint primary key,
          version bigint not null default 1
        )`.execute(db)
      await sql`alter table ${s}.data_versions enable row level security`.execute(db)
      await sql`alter table ${s}.data_versions force row level security`.execute(db)
      await sql`create policy tenant_isolation on ${s}.data_versions using (customer_id = ${tenant}) with check (customer_id = ${tenant})`.execute(db)
      await sql`grant select, insert, update on ${s}.data_versions to ${role}`.execute(db)
      await sql`
        create function ${s}.bump_data_version() returns trigger language plpgsql as $fn$
        begin
          insert into ${sql.raw(q)}.data_versions as v (customer_id, version)
            select distinct customer_id, 1 from upstream_changed_rows order by customer_id
          on conflict (customer_id) do update set version = v.version + 1;
          return null;
        end $fn$`.execute(db)
      for (const table of VERSIONED_TABLES) {
        for (const [event, transition] of [['insert', 'new'], ['update', 'new'], ['delete', 'old']] as const) {
          await sql`
            create trigger ${sql.id(`${table}_data_version_${event}`)}
            after ${sql.raw(event)} on ${s}.${sql.id(table)}
            referencing ${sql.raw(transition)} table as upstream_changed_rows
            for each statement execute function ${s}.bump_data_version()`.execute(db)
        }
      }

      await sql`
        create function ${s}.count_estimate(query text, threshold bigint) returns json
        language plpgsql volatile as $fn$
        declare
          n bigint;
          plan json;
        begin
          execute format('select count(*) from (select 1 from (%s) as q limit %s) as c', query, threshold + 1) into n;
          if n <= threshold then
            return json_build_object('count', n, 'estimated', false);
          end if;
          execute 'explain (format json) ' || query into plan;
          return json_build_object('count', greatest((plan -> 0 -> 'Plan' ->> 'Plan Rows')::numeric::bigint, threshold + 1), 'estimated', true);
        end $fn$`.execute(db)
      await sql`grant execute on function ${s}.count_estimate(text, bigint) to ${role}`.execute(db)
    },

    async down(db: Kysely<unknown>): Promise<void> {
      for (const table of VERSIONED_TABLES) {
        for (const event of ['insert', 'update', 'delete']) {
          await sql`drop trigger if exists ${sql.id(`${table}_data_version_${event}`)} on ${s}.${sql.id(table)}`.execute(db)
        }
      }
      await sql`drop function if exists ${s}.bump_data_version()`.execute(db)
      await sql`drop function if exists ${s}.count_estimate(text, bigint)`.execute(db)
      await sql`drop table if exists ${s}.data_versions`.execute(db)
      for (const [view] of SEARCH_VIEWS) await sql`drop view if exists ${s}.${sql.id(view)}`.execute(db)
      for (const [table, column] of TRIGRAM_INDEXES) await sql`drop index if exists ${s}.${sql.id(`${table}_${column}_trgm_idx`)}`.execute(db)
    },
  }
}
