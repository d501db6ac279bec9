import { sql } from 'kysely'
import type { Kysely } from 'kysely'
import { jobQueueSchemaName } from '../internal.js'
import type { MigrationContext } from './migration-context.js'

/**
 * Migration 0009, for background jobs (see docs/background-jobs.md):
 *
 * - `upload_bodies`: the CSV body of an asynchronous upload, in chunks of about 256 KiB
 *   (`bytea`), written in the transaction that creates the upload and its job, deleted in the
 *   transaction that finishes the upload. Tenant-owned: composite key and foreign key, forced
 *   row-level security.
 * - `upload_errors`: the row errors of a failed upload (line, column, message; the first 100),
 *   so a client that did not wait for the load can still read them. Tenant-owned likewise.
 * - `job_workers`: one row per running job worker and its last heartbeat; a worker whose
 *   heartbeat stops has its jobs unlocked by the others. Not tenant data: the runtime role
 *   has no grant on it.
 * - `enqueue_tenant_job(...)`: the one door from a tenant transaction (runtime role, row-level
 *   security on) to the job queue (graphile-worker's `add_job` in the schema `<schema>_jobs`).
 *   `SECURITY DEFINER`, so the runtime role needs no grant on the queue's tables; it stamps
 *   the transaction's tenant into the payload as `customer_id` (a caller cannot enqueue work
 *   for another tenant) and prefixes job keys and queue names with the tenant (one tenant's
 *   key never replaces another's job). It refuses to run without a tenant (SQLSTATE 42501).
 *
 * ```sql
 * -- inside forTenant(upstream, 7).transaction(...):
 * select upstream.enqueue_tenant_job('upstream.ingest_upload', '{"upload_id": 12}')
 * -- adds the job with payload {"upload_id": 12, "customer_id": 7}, committed with the upload or not at all
 * ```
 */
export function backgroundJobs(ctx: MigrationContext) {
  const s = sql.id(ctx.schema)
  const role = sql.id(ctx.runtimeRole)
  const jobs = sql.id(jobQueueSchemaName(ctx.schema))
  const tenant = sql.raw(`nullif(current_setting('upstream.customer_id', true), '')::bigint`)
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await sql`
        create table ${s}.upload_bodies (
          customer_id bigint not null,
          upload_id bigint not null,
          chunk integer not null check (chunk >= 0),
          data bytea not null,
          primary key (customer_id, upload_id, chunk),
          foreign key (customer_id, upload_id) references ${s}.uploads (customer_id, id) on delete cascade
        )`.execute(db)
      // CSV chunks are written once, read once and deleted: skip TOAST's pglz compression
      // (its CPU time is on the request path of a 202, and the rows are short-lived).
      await sql`alter table ${s}.upload_bodies alter column data set storage external`.execute(db)

      await sql`
        create table ${s}.upload_errors (
          customer_id bigint not null,
          upload_id bigint not null,
          position integer not null check (position >= 0),
          line integer not null check (line >= 1),
          column_name text,
          message text not null,
          primary key (customer_id, upload_id, position),
          foreign key (customer_id, upload_id) references ${s}.uploads (customer_id, id) on delete cascade
        )`.execute(db)

      for (const table of ['upload_bodies', 'upload_errors']) {
        const t = sql.id(table)
        await sql`alter table ${s}.${t} enable row level security`.execute(db)
        await sql`alter table ${s}.${t} force row level security`.execute(db)
        await sql`
          create policy tenant_isolation on ${s}.${t}
            using (customer_id = ${tenant}) with check (customer_id = ${tenant})`.execute(db)
        await sql`grant select, insert, delete on ${s}.${t} to ${role}`.execute(db)
      }

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
      await sql`revoke all on function ${s}.enqueue_tenant_job(text, jsonb, text, text, text, timestamptz, integer, integer) from public`.execute(db)
      await sql`grant execute on function ${s}.enqueue_tenant_job(text, jsonb, text, text, text, timestamptz, integer, integer) to ${role}`.execute(db)
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await sql`drop function if exists ${s}.enqueue_tenant_job(text, jsonb, text, text, text, timestamptz, integer, integer)`.execute(db)
      await sql`drop table if exists ${s}.job_workers`.execute(db)
      await sql`drop table if exists ${s}.upload_errors`.execute(db)
      await sql`drop table if exists ${s}.upload_bodies`.execute(db)
    },
  }
}
