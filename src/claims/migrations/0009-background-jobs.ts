import { sql } from 'kysely'
import type { Kysely } from 'kysely'
import type { MigrationContext } from '../../db/index.js'
import { tenantTable } from '../../tenancy/index.js'
import { abandonedUploadSweep } from './0008-abandoned-upload-sweep.js'

/**
 * Claims migration 0009, for asynchronous uploads (see docs/background-jobs.md):
 *
 * - `upload_bodies`: the CSV body of an upload accepted with `Prefer: respond-async`, in
 *   chunks of about 256 KiB (`bytea`, stored without TOAST compression: the chunks live for
 *   seconds, and compressing them would cost CPU on the request path), written in the
 *   transaction that creates the upload and its job, deleted in the transaction that ends the
 *   upload;
 * - `upload_errors`: the row errors of a failed upload (line, column, message; the first 100),
 *   so a client that did not wait for the load can read them later;
 * - `fail_abandoned_uploads` (claims migration 0008) now leaves alone an upload whose body is
 *   stored: such an upload belongs to the job queue, which retries it after a crash and, on
 *   its final attempt, ends it `failed` itself.
 *
 * Both tables are tenant tables: composite keys and foreign keys lead with `customer_id`,
 * forced row-level security, grants to the runtime role.
 *
 * ```sql
 * select chunk, octet_length(data) from upstream.upload_bodies where upload_id = 12 order by chunk
 * -- 0 | 262144, 1 | 262144, ..., 224 | 17468   while the upload is pending or processing; no row after
 * ```
 */
export function backgroundJobs(ctx: MigrationContext) {
  const s = sql.id(ctx.schema)
  const q = sql.raw(`"${ctx.schema.replaceAll('"', '""')}"`)
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
      // no cached list counts these tables: no data-version triggers
      for (const table of ['upload_bodies', 'upload_errors']) await tenantTable(db, table, { ...ctx, dataVersion: false })

      await sql`
        create or replace function ${s}.fail_abandoned_uploads(p_older_than interval, p_message text)
        returns table (customer_id bigint, upload_id bigint)
        language plpgsql security definer
        set search_path = pg_catalog, pg_temp
        as $fn$
        declare
          c bigint;
          previous text := current_setting('upstream.customer_id', true);
        begin
          for c in select k.id from ${q}.customers k order by k.id loop
            perform set_config('upstream.customer_id', c::text, true);
            return query
              update ${q}.uploads u
                 set status = 'failed', row_count = null, error_message = p_message,
                     processing_completed_at = clock_timestamp()
               where u.customer_id = c
                 and u.id in (select x.id from ${q}.uploads x
                               where x.customer_id = c and x.status = 'processing'
                                 and x.processing_started_at < clock_timestamp() - p_older_than
                                 and not exists (select from ${q}.upload_bodies b where b.customer_id = c and b.upload_id = x.id)
                               for no key update skip locked)
              returning u.customer_id, u.id;
          end loop;
          perform set_config('upstream.customer_id', coalesce(previous, ''), true);
        end
        $fn$`.execute(db)
      await sql`revoke all on function ${s}.fail_abandoned_uploads(interval, text) from public`.execute(db)
    },
    async down(db: Kysely<unknown>): Promise<void> {
      const sweep = abandonedUploadSweep(ctx) // back to 0008's sweep
      await sweep.down(db)
      await sweep.up(db)
      await sql`drop table if exists ${s}.upload_errors`.execute(db)
      await sql`drop table if exists ${s}.upload_bodies`.execute(db)
    },
  }
}
