import { sql } from 'kysely'
import type { Kysely } from 'kysely'
import type { MigrationContext } from './migration-context.js'

/**
 * Core migration 0004, so estimated counts survive a distributed PostgreSQL (Citus; see
 * docs/citus.md): `plan_row_estimate(plan jsonb)` reads the planner's row estimate from an
 * `EXPLAIN (FORMAT JSON)` document, and `count_estimate` uses it.
 *
 * On PostgreSQL the estimate is the top plan node's `Plan Rows`, as before. On a Citus
 * coordinator the top node is Citus's Custom Scan, whose `Plan Rows` is a placeholder (not an
 * estimate): the real one is in the worker's `Remote Plan` of the task, so the function reads
 * the first `Remote Plan`'s `Plan Rows` and multiplies it by the job's `Task Count` (1 for a
 * tenant's list, which Citus routes to the one shard holding `customer_id`).
 *
 * ```sql
 * select upstream.plan_row_estimate('[{"Plan": {"Node Type": "Seq Scan", "Plan Rows": 1200}}]') -- 1200
 * ```
 */
export function distributedCountEstimate(ctx: MigrationContext) {
  const s = sql.id(ctx.schema)
  const role = sql.id(ctx.runtimeRole)
  const q = sql.raw(`"${ctx.schema.replaceAll('"', '""')}"`)
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await sql`
        create function ${s}.plan_row_estimate(plan jsonb) returns bigint
        language plpgsql immutable
        set search_path = pg_catalog, pg_temp
        as $fn$
        declare
          remote jsonb := jsonb_path_query_first(plan, 'strict $.**."Remote Plan"');
          tasks jsonb := jsonb_path_query_first(plan, 'strict $.**."Task Count"');
        begin
          if remote is not null then
            -- Citus: [[{"Plan": {...}}]] per task, and the job's task count
            return ((remote -> 0 -> 0 -> 'Plan' ->> 'Plan Rows')::numeric * coalesce((tasks #>> '{}')::numeric, 1))::bigint;
          end if;
          return (plan -> 0 -> 'Plan' ->> 'Plan Rows')::numeric::bigint;
        end $fn$`.execute(db)
      await sql`grant execute on function ${s}.plan_row_estimate(jsonb) to ${role}`.execute(db)
      await sql`
        create or replace function ${s}.count_estimate(query text, threshold bigint) returns json
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
          return json_build_object('count', greatest(${q}.plan_row_estimate(plan::jsonb), threshold + 1), 'estimated', true);
        end $fn$`.execute(db)
    },

    async down(db: Kysely<unknown>): Promise<void> {
      await sql`
        create or replace function ${s}.count_estimate(query text, threshold bigint) returns json
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
      await sql`drop function if exists ${s}.plan_row_estimate(jsonb)`.execute(db)
    },
  }
}
