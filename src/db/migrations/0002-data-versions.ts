import { sql } from 'kysely'
import type { Kysely } from 'kysely'
import type { MigrationContext } from './migration-context.js'
import { currentTenantSql, quoteIdent } from '../internal.js'

/**
 * Core migration 0002, for list queries over any tenant table:
 * - `data_versions (customer_id, version)`: a per-tenant counter that statement-level
 *   triggers bump on every insert, update and delete of a versioned table, in the writing
 *   transaction (so it changes exactly when the write commits). The count cache keys its
 *   entries on it. `bump_data_version()` is the trigger function of tables whose tenant
 *   column is `customer_id` (core migration 0003 adds one for any tenant column);
 * - `count_estimate(query text, threshold bigint) returns json`: exact count up to
 *   `threshold`, the planner's estimate above it, in one statement (the `estimated` count
 *   strategy).
 *
 * On a database made by the first layout, this is the generic half of that layout's
 * `0002-search-indexes` and is recorded as applied, not run.
 */
export function dataVersions(ctx: MigrationContext) {
  const s = sql.id(ctx.schema)
  const role = sql.id(ctx.runtimeRole)
  const q = quoteIdent(ctx.schema)
  const tenant = currentTenantSql()
  return {
    async up(db: Kysely<unknown>): Promise<void> {
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
      await sql`drop function if exists ${s}.count_estimate(text, bigint)`.execute(db)
      await sql`drop function if exists ${s}.bump_data_version() cascade`.execute(db)
      await sql`drop table if exists ${s}.data_versions`.execute(db)
    },
  }
}
