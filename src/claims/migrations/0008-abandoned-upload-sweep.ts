import { sql } from 'kysely'
import type { Kysely } from 'kysely'
import type { MigrationContext } from '../../db/index.js'

/**
 * Migration 0008, for ingestion faults: `fail_abandoned_uploads(older_than, message)` moves
 * every upload left `processing` by a process that died to `failed`, across tenants, and
 * returns `(customer_id, upload_id)` of each. A load holds its upload's row lock for as long
 * as it runs (`lockUploadForLoad`), and PostgreSQL drops that lock with the session of a
 * dead process, so "abandoned" is exact: `processing`, started more than `older_than` ago,
 * and not locked (`FOR NO KEY UPDATE SKIP LOCKED`). No heartbeat, no clock guess.
 *
 * Row-level security stays forced: the function (SECURITY DEFINER, owned by the migrating
 * role, executable by that role only: EXECUTE is revoked from PUBLIC) visits each customer
 * with the tenant set, as a tenant transaction would, and restores the setting it found.
 *
 * ```sql
 * select * from upstream.fail_abandoned_uploads(interval '1 minute', 'The process loading this upload stopped; nothing was loaded.')
 * ```
 */
export function abandonedUploadSweep(ctx: MigrationContext) {
  const s = sql.id(ctx.schema)
  const q = sql.raw(`"${ctx.schema.replaceAll('"', '""')}"`)
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await sql`
        create function ${s}.fail_abandoned_uploads(p_older_than interval, p_message text)
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
                               for no key update skip locked)
              returning u.customer_id, u.id;
          end loop;
          perform set_config('upstream.customer_id', coalesce(previous, ''), true);
        end
        $fn$`.execute(db)
      await sql`revoke all on function ${s}.fail_abandoned_uploads(interval, text) from public`.execute(db)
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await sql`drop function if exists ${s}.fail_abandoned_uploads(interval, text)`.execute(db)
    },
  }
}
