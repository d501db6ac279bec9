import { sql, type Kysely } from 'kysely'
import { assertIdentifier, type MigrationContext } from '../db/index.js'
import { currentTenantSql } from '../db/internal.js'
import { TenantTableError } from './tenant-table-error.js'

/**
 * Options of {@link tenantTable}: where the table is and who runs as the tenant (a migration's
 * `ctx` has both), and which column holds the tenant.
 *
 * @example
 * ```ts
 * const options: TenantTableOptions = { ...ctx, tenantColumn: 'customer_id' }
 * ```
 */
export interface TenantTableOptions extends MigrationContext {
  /** The column holding the tenant's `customers.id`: `bigint not null`. Default `customer_id`. */
  readonly tenantColumn?: string
  /**
   * Install the data-version triggers (default `true`): every insert, update and delete bumps
   * the tenant's `data_versions` row in the writing transaction, which is what keeps counts
   * cached by the count cache correct. Turn it off only for a table no cached list counts.
   */
  readonly dataVersion?: boolean
}

/**
 * Puts an app's table under the tenant, in a migration, after the table is created in the
 * library's schema:
 *
 * - row-level security enabled and FORCEd (so even the table's owner is filtered), with the
 *   library's policy `tenant_isolation`: `tenantColumn = current tenant` for reads and
 *   writes (`USING` and `WITH CHECK`); no tenant set means no row;
 * - `select, insert, update, delete` on the table, and the use of its identity or serial
 *   sequences, granted to the runtime role that tenant transactions switch to;
 * - the data-version triggers the count cache relies on.
 *
 * Lead every primary key, unique key and foreign key with the tenant column (`primary key
 * (customer_id, id)`, `foreign key (customer_id, project_id) references projects
 * (customer_id, id)`): a row can then only point at its own tenant's rows, and every index
 * serves one tenant's slice. `checkTenantIsolation` (from `@upstreamjs/upstream/testing`)
 * verifies all of it in the app's tests.
 *
 * Throws {@link TenantTableError} when the table is not in `schema` (an app table created in
 * `public`, say) or the tenant column is missing, nullable or not `bigint`.
 *
 * @example
 * ```ts
 * '0001-products': {
 *   async up(db) {
 *     await db.schema.createTable('products')
 *       .addColumn('customer_id', 'bigint', (c) => c.notNull().references('customers.id').onDelete('cascade'))
 *       .addColumn('id', 'bigint', (c) => c.generatedAlwaysAsIdentity())
 *       .addColumn('name', 'text', (c) => c.notNull())
 *       .addPrimaryKeyConstraint('products_pkey', ['customer_id', 'id'])
 *       .execute()
 *     await tenantTable(db, 'products', { ...ctx, tenantColumn: 'customer_id' })
 *   },
 * }
 * ```
 */
export async function tenantTable<DB>(db: Kysely<DB>, table: string, options: TenantTableOptions): Promise<void> {
  const schema = assertIdentifier(options.schema, 'schema')
  const name = assertIdentifier(table, 'table')
  const column = assertIdentifier(options.tenantColumn ?? 'customer_id', 'tenantColumn')
  const role = assertIdentifier(options.runtimeRole, 'runtimeRole')
  const found = await sql<{ here: boolean; elsewhere: string | null }>`
    select exists (select from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = ${schema} and c.relname = ${name} and c.relkind in ('r', 'p')) as here,
           (select string_agg(n.nspname, ', ' order by n.nspname) from pg_class c join pg_namespace n on n.oid = c.relnamespace where c.relname = ${name} and c.relkind in ('r', 'p') and n.nspname <> ${schema}) as elsewhere`.execute(db)
  const where = found.rows[0]
  if (!where?.here) {
    throw new TenantTableError(
      name,
      `Table ${name} is not in schema ${schema}${where?.elsewhere ? ` (it is in ${where.elsewhere})` : ''}: create an app's tenant tables in the library's schema, ` +
        `where tenant scopes look them up (the db a migration set's migrations get resolves table names there).`,
    )
  }
  const t = sql.id(schema, name)
  const col = await sql<{ type: string; notnull: boolean }>`
    select format_type(a.atttypid, a.atttypmod) as type, a.attnotnull as notnull from pg_attribute a
    where a.attrelid = ${`${schema}.${name}`}::regclass and a.attname = ${column} and a.attnum > 0 and not a.attisdropped`.execute(db)
  const c = col.rows[0]
  if (!c) throw new TenantTableError(name, `Table ${schema}.${name} has no tenant column ${column}: add "${column} bigint not null references customers (id)", or name the column with tenantColumn.`)
  if (c.type !== 'bigint') throw new TenantTableError(name, `Tenant column ${schema}.${name}.${column} is ${c.type}: it must be bigint, as customers.id is.`)
  if (!c.notnull) throw new TenantTableError(name, `Tenant column ${schema}.${name}.${column} is nullable: it must be NOT NULL (a row without a tenant belongs to no one).`)

  const tenant = currentTenantSql()
  const id = sql.id(column)
  await sql`alter table ${t} enable row level security`.execute(db)
  await sql`alter table ${t} force row level security`.execute(db)
  await sql`create policy tenant_isolation on ${t} using (${id} = ${tenant}) with check (${id} = ${tenant})`.execute(db)
  await sql`grant select, insert, update, delete on ${t} to ${sql.id(role)}`.execute(db)
  const sequences = await sql<{ seq: string }>`
    select s.oid::regclass::text as seq from pg_class s
    join pg_depend d on d.classid = 'pg_class'::regclass and d.objid = s.oid and d.refobjid = ${`${schema}.${name}`}::regclass
    where s.relkind = 'S'`.execute(db)
  for (const { seq } of sequences.rows) await sql`grant usage, select on sequence ${sql.raw(seq)} to ${sql.id(role)}`.execute(db)
  if (options.dataVersion !== false) {
    for (const [event, transition] of [['insert', 'new'], ['update', 'new'], ['delete', 'old']] as const) {
      await sql`
        create trigger ${sql.id(`${name}_data_version_${event}`)}
        after ${sql.raw(event)} on ${t}
        referencing ${sql.raw(transition)} table as upstream_changed_rows
        for each statement execute function ${sql.id(schema, 'bump_tenant_data_version')}(${sql.lit(column)})`.execute(db)
    }
  }
}
