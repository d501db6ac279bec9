import { sql } from 'kysely'
import type { Kysely } from 'kysely'
import type { MigrationContext } from '../../db/index.js'
import { currentTenantSql } from '../../db/internal.js'

/** The claims domain's tables, in the order they are created; each under the tenant's row-level security. */
export const CLAIMS_TABLES = ['uploads', 'claim_records', 'drift_reports', 'drift_events'] as const

/**
 * Claims migration 0001: uploads, claim records, drift reports and drift events, with their
 * composite keys (led by `customer_id`), foreign keys, checks and the indexes of the default
 * orderings and filters; row-level security on each, forced, keyed on the transaction-local
 * `upstream.customer_id`. Requires the core set (customers, the runtime role).
 *
 * Before the migration sets, this migration also made the tenancy core (now core migration
 * `0001-tenants-and-api-keys`); a database made then keeps this name in its history.
 */
export function initialSchema(ctx: MigrationContext) {
  const s = sql.id(ctx.schema)
  const role = sql.id(ctx.runtimeRole)
  const tenant = currentTenantSql()
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await sql`
        create table ${s}.uploads (
          customer_id bigint not null references ${s}.customers (id) on delete cascade,
          id bigint generated always as identity,
          filename text not null,
          status text not null default 'pending'
            check (status in ('pending', 'processing', 'success', 'failed')),
          row_count integer check (row_count >= 0),
          error_message text,
          uploaded_at timestamptz not null default now(),
          processing_started_at timestamptz,
          processing_completed_at timestamptz,
          primary key (customer_id, id),
          check (processing_started_at <= processing_completed_at)
        )`.execute(db)
      await sql`create index uploads_uploaded_at_idx on ${s}.uploads (customer_id, uploaded_at, id)`.execute(db)
      await sql`create index uploads_status_uploaded_at_idx on ${s}.uploads (customer_id, status, uploaded_at, id)`.execute(db)
      await sql`create index uploads_filename_idx on ${s}.uploads (customer_id, filename, id)`.execute(db)
      await sql`create index uploads_row_count_idx on ${s}.uploads (customer_id, row_count, id)`.execute(db)

      await sql`
        create table ${s}.claim_records (
          customer_id bigint not null,
          id bigint generated always as identity,
          upload_id bigint not null,
          claim_number text not null,
          payer_name text not null,
          cpt_code text not null,
          service_date date not null,
          billed_amount numeric(12,2) not null check (billed_amount >= 0),
          allowed_amount numeric(12,2) check (allowed_amount >= 0),
          paid_amount numeric(12,2) check (paid_amount >= 0),
          status text not null check (status in ('submitted', 'paid', 'denied', 'adjusted')),
          denial_reason text,
          created_at timestamptz not null default now(),
          primary key (customer_id, id),
          unique (customer_id, upload_id, claim_number),
          foreign key (customer_id, upload_id) references ${s}.uploads (customer_id, id) on delete cascade
        )`.execute(db)
      await sql`create index claim_records_service_date_idx on ${s}.claim_records (customer_id, service_date, id)`.execute(db)
      await sql`create index claim_records_billed_amount_idx on ${s}.claim_records (customer_id, billed_amount, id)`.execute(db)
      await sql`create index claim_records_created_at_idx on ${s}.claim_records (customer_id, created_at, id)`.execute(db)
      await sql`create index claim_records_claim_number_idx on ${s}.claim_records (customer_id, claim_number, id)`.execute(db)
      await sql`create index claim_records_status_idx on ${s}.claim_records (customer_id, status, service_date, id)`.execute(db)
      await sql`create index claim_records_payer_name_idx on ${s}.claim_records (customer_id, payer_name, service_date, id)`.execute(db)
      await sql`create index claim_records_cpt_code_idx on ${s}.claim_records (customer_id, cpt_code, service_date, id)`.execute(db)

      await sql`
        create table ${s}.drift_reports (
          customer_id bigint not null references ${s}.customers (id) on delete cascade,
          id bigint generated always as identity,
          as_of date not null,
          baseline_start date not null,
          baseline_end date not null,
          current_start date not null,
          current_end date not null,
          group_by text not null check (group_by in ('payer', 'payer_cpt')),
          min_claims integer not null check (min_claims >= 1),
          alpha double precision not null check (alpha > 0 and alpha < 1),
          groups_tested integer not null default 0 check (groups_tested >= 0),
          events_count integer not null default 0 check (events_count >= 0),
          computed_at timestamptz not null default now(),
          duration_ms double precision not null default 0 check (duration_ms >= 0),
          primary key (customer_id, id),
          check (baseline_start < baseline_end and baseline_end = current_start
                 and current_start < current_end and current_end = as_of),
          -- one report per customer and parameters, as a database fact
          constraint drift_reports_parameters_key
            unique (customer_id, as_of, baseline_start, current_start, group_by, min_claims, alpha)
        )`.execute(db)
      await sql`create index drift_reports_computed_at_idx on ${s}.drift_reports (customer_id, computed_at, id)`.execute(db)

      await sql`
        create table ${s}.drift_events (
          customer_id bigint not null,
          id bigint generated always as identity,
          report_id bigint not null,
          payer_name text not null,
          cpt_code text,
          metric text not null check (metric in ('denial_rate', 'paid_ratio')),
          baseline_value double precision not null,
          current_value double precision not null,
          delta double precision not null,
          baseline_n integer not null check (baseline_n >= 0),
          current_n integer not null check (current_n >= 0),
          p_value double precision not null check (p_value >= 0 and p_value <= 1),
          adjusted_p_value double precision not null check (adjusted_p_value >= 0 and adjusted_p_value <= 1),
          severity text not null check (severity in ('low', 'medium', 'high')),
          created_at timestamptz not null default now(),
          primary key (customer_id, id),
          foreign key (customer_id, report_id) references ${s}.drift_reports (customer_id, id) on delete cascade
        )`.execute(db)
      await sql`create index drift_events_report_idx on ${s}.drift_events (customer_id, report_id, id)`.execute(db)
      await sql`create index drift_events_created_at_idx on ${s}.drift_events (customer_id, created_at, id)`.execute(db)
      await sql`create index drift_events_p_value_idx on ${s}.drift_events (customer_id, p_value, id)`.execute(db)
      await sql`create index drift_events_delta_idx on ${s}.drift_events (customer_id, delta, id)`.execute(db)

      // Row-level security: fail closed (no tenant set -> NULL -> no row matches).
      for (const table of CLAIMS_TABLES) {
        const t = sql.id(table)
        await sql`alter table ${s}.${t} enable row level security`.execute(db)
        await sql`alter table ${s}.${t} force row level security`.execute(db)
        await sql`
          create policy tenant_isolation on ${s}.${t}
            using (customer_id = ${tenant}) with check (customer_id = ${tenant})`.execute(db)
        await sql`grant select, insert, update, delete on ${s}.${t} to ${role}`.execute(db)
      }
      await sql`grant usage, select on all sequences in schema ${s} to ${role}`.execute(db)
    },

    async down(db: Kysely<unknown>): Promise<void> {
      for (const table of [...CLAIMS_TABLES].reverse()) {
        await sql`drop table if exists ${s}.${sql.id(table)} cascade`.execute(db)
      }
    },
  }
}

