import { sql } from 'kysely'
import type { Kysely } from 'kysely'
import { coreMigrations, defineMigrationSet, type MigrationContext } from '../db/index.js'
import { currentTenantSql, jobQueueSchemaName } from '../db/internal.js'

/**
 * Jobs migration 0001: what the library adds next to graphile-worker's own schema.
 *
 * - `job_workers`: one row per running job worker and its last heartbeat; a worker whose
 *   heartbeat stops has its jobs unlocked by the others (see `releaseJobsOfDeadWorkers`). Not
 *   tenant data: the runtime role has no grant on it.
 * - `enqueue_tenant_job(...)`: the one door from a tenant transaction (runtime role, row-level
 *   security on) to the queue (graphile-worker's `add_job` in the schema `<schema>_jobs`).
 *   `SECURITY DEFINER`, so the runtime role needs no grant on the queue's tables; it stamps the
 *   transaction's tenant into the payload as `customer_id` (a caller cannot enqueue work for
 *   another tenant) and prefixes job keys and queue names with the tenant (one tenant's key
 *   never replaces another's job). It refuses to run without a tenant (SQLSTATE 42501).
 *   graphile-worker's schema need not exist yet: the call resolves when it runs.
 *
 * ```sql
 * -- inside forTenant(upstream, 7).transaction(...):
 * select upstream.enqueue_tenant_job('upstream.ingest_upload', '{"upload_id": 12}')
 * -- adds the job with payload {"upload_id": 12, "customer_id": 7}, committed with the upload or not at all
 * ```
 */
function jobQueueDoor(ctx: MigrationContext) {
  const s = sql.id(ctx.schema)
  const role = sql.id(ctx.runtimeRole)
  const jobs = sql.id(jobQueueSchemaName(ctx.schema))
  const tenant = currentTenantSql()
  const signature = sql.raw('(text, jsonb, text, text, text, timestamptz, integer, integer)')
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await sql`
        create table ${s}.job_workers (
          worker_id text primary key,
          pool_id text not null,
          hostname text not null,
          pid integer not null,
          started_at timestamptz not null default now(),
          seen_at timestamptz not null default now()
        )`.execute(db)
      await sql`revoke all on ${s}.job_workers from ${role}`.execute(db)
      await sql`
        create function ${s}.enqueue_tenant_job(
          p_task text,
          p_payload jsonb default '{}',
          p_job_key text default null,
          p_job_key_mode text default null,
          p_queue_name text default null,
          p_run_at timestamptz default null,
          p_max_attempts integer default null,
          p_priority integer default null
        ) returns bigint
        language plpgsql volatile security definer
        set search_path = pg_catalog, pg_temp
        as $fn$
        declare
          v_customer bigint := ${tenant};
          v_id bigint;
        begin
          if v_customer is null then
            raise exception 'enqueue_tenant_job needs a tenant transaction (upstream.customer_id is not set)'
              using errcode = 'insufficient_privilege';
          end if;
          if p_payload is null or jsonb_typeof(p_payload) <> 'object' then
            raise exception 'a job payload must be a JSON object' using errcode = 'invalid_parameter_value';
          end if;
          select (j).id into v_id from (
            select ${jobs}.add_job(
              identifier => p_task,
              payload => (p_payload || jsonb_build_object('customer_id', v_customer))::json,
              queue_name => case when p_queue_name is null then null else 'tenant:' || v_customer || ':' || p_queue_name end,
              run_at => p_run_at,
              max_attempts => p_max_attempts,
              job_key => case when p_job_key is null then null else 'tenant:' || v_customer || ':' || p_job_key end,
              priority => p_priority,
              job_key_mode => coalesce(p_job_key_mode, 'replace')
            ) as j
          ) added;
          return v_id;
        end
        $fn$`.execute(db)
      await sql`revoke all on function ${s}.enqueue_tenant_job${signature} from public`.execute(db)
      await sql`grant execute on function ${s}.enqueue_tenant_job${signature} to ${role}`.execute(db)
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await sql`drop function if exists ${s}.enqueue_tenant_job${signature}`.execute(db)
      await sql`drop table if exists ${s}.job_workers`.execute(db)
    },
  }
}

/**
 * The job machinery's migrations (history table `jobs_migration`): the heartbeat table of
 * the workers and `enqueue_tenant_job`, the `SECURITY DEFINER` door a tenant transaction
 * enqueues through. Requires the tenancy core. {@link migrateJobQueue} runs it, then installs
 * graphile-worker's own schema (`<schema>_jobs`).
 *
 * @example
 * ```ts
 * await migrateToLatest(upstream, { sets: [jobMigrations] }) // ['core/...', 'jobs/0001-job-queue-door']
 * ```
 */
export const jobMigrations = defineMigrationSet({
  name: 'jobs',
  requires: [coreMigrations],
  migrations: (ctx) => ({ '0001-job-queue-door': jobQueueDoor(ctx) }),
})
