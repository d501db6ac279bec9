import { sql } from 'kysely'
import type { Kysely } from 'kysely'
import type { MigrationContext } from './migration-context.js'
import { quoteIdent } from '../internal.js'

/**
 * Core migration 0003: `bump_tenant_data_version()`, the data-version trigger function of an
 * app's own tenant tables, whatever their tenant column is called. The column's name is the
 * trigger's argument (`execute function upstream.bump_tenant_data_version('tenant_id')`);
 * `tenantTable` installs it. Like `bump_data_version()` it runs once per statement and
 * bumps each tenant the statement touched.
 */
export function tenantDataVersionTrigger(ctx: MigrationContext) {
  const s = sql.id(ctx.schema)
  const q = quoteIdent(ctx.schema)
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await sql`
        create function ${s}.bump_tenant_data_version() returns trigger language plpgsql as $fn$
        begin
          execute format(
            'insert into ${sql.raw(q)}.data_versions as v (customer_id, version)
               select distinct %1$I, 1 from upstream_changed_rows where %1$I is not null order by 1
             on conflict (customer_id) do update set version = v.version + 1',
            tg_argv[0]);
          return null;
        end $fn$`.execute(db)
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await sql`drop function if exists ${s}.bump_tenant_data_version() cascade`.execute(db)
    },
  }
}
