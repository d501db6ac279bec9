import { sql } from 'kysely'
import type { Kysely } from 'kysely'
import type { MigrationContext } from './migration-context.js'

/**
 * Migration 0004, for ingestion: upload statuses move pending -> processing -> success |
 * failed and nowhere else, as a database fact. A `BEFORE UPDATE OF status` trigger refuses
 * any other change of `status` with SQLSTATE 23514 (check_violation, classified as
 * `CheckViolationError`); inserts may start in any status (seeding and imports write
 * finished uploads directly), and updates that keep the status are not affected.
 *
 * ```sql
 * update uploads set status = 'pending' where status = 'failed'
 * -- ERROR: upload status may not move from failed to pending (23514)
 * ```
 */
export function uploadStatusTransitions(ctx: MigrationContext) {
  const s = sql.id(ctx.schema)
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await sql`
        create function ${s}.uploads_status_transition() returns trigger
        language plpgsql
        set search_path = pg_catalog, pg_temp
        as $fn$
        begin
          if new.status is distinct from old.status
             and not ((old.status = 'pending' and new.status = 'processing')
                      or (old.status = 'processing' and new.status in ('success', 'failed'))) then
            raise exception 'upload status may not move from % to %', old.status, new.status
              using errcode = 'check_violation', constraint = 'uploads_status_transition', table = tg_table_name;
          end if;
          return new;
        end
        $fn$`.execute(db)
      await sql`
        create trigger uploads_status_transition before update of status on ${s}.uploads
        for each row execute function ${s}.uploads_status_transition()`.execute(db)
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await sql`drop trigger if exists uploads_status_transition on ${s}.uploads`.execute(db)
      await sql`drop function if exists ${s}.uploads_status_transition()`.execute(db)
    },
  }
}
