import { sql, type Kysely } from 'kysely'

/** The history of the first layout, where one set of four migrations made the core and the claims domain. */
const FIRST_LAYOUT_TABLE = 'kysely_migration'
/** Which core migration each first-layout migration already did the work of. */
const CORE_HALF_OF: Readonly<Record<string, string>> = {
  '0001-initial-schema': '0001-tenants-and-api-keys',
  '0002-search-indexes': '0002-data-versions',
}

/**
 * Moves a database made by the first layout (one history, `kysely_migration`, of
 * `0001-initial-schema` .. `0004-upload-status-transitions`) to the layout of migration sets,
 * without touching a row: that history becomes the claims set's (`claims_migration`, same
 * names), and the core migrations whose objects it already made are recorded as applied in
 * `core_migration`. The runtime role loses the rights on the history that the first layout
 * gave it. Runs once, under an advisory lock, in one transaction; a no-op on any
 * other database. Returns whether it moved anything.
 *
 * @example
 * ```ts
 * await adoptFirstLayout(upstream.db.withoutPlugins(), upstream.schema, upstream.runtimeRole) // true once, then false
 * ```
 */
export async function adoptFirstLayout<DB>(db: Kysely<DB>, schema: string, runtimeRole: string): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext(${`upstream:adopt-first-layout:${schema}`}))`.execute(trx)
    const found = await sql<{ legacy: string | null; core: string | null; claims: string | null }>`
      select to_regclass(${`${schema}.${FIRST_LAYOUT_TABLE}`})::text as legacy,
             to_regclass(${`${schema}.core_migration`})::text as core,
             to_regclass(${`${schema}.claim_records`})::text as claims`.execute(trx)
    const row = found.rows[0]
    if (!row?.legacy || row.core || !row.claims) return false
    const s = sql.id(schema)
    const history = await sql<{ name: string; timestamp: string }>`select name, timestamp from ${s}.${sql.id(FIRST_LAYOUT_TABLE)} order by name`.execute(trx)
    if (!history.rows.some((r) => r.name === '0001-initial-schema')) return false
    // the same shape as the history tables Kysely's Migrator makes
    await sql`create table ${s}.core_migration (name varchar(255) not null primary key, timestamp varchar(255) not null)`.execute(trx)
    for (const { name, timestamp } of history.rows) {
      const core = CORE_HALF_OF[name]
      if (core) await sql`insert into ${s}.core_migration (name, timestamp) values (${core}, ${timestamp})`.execute(trx)
    }
    await sql`alter table ${s}.${sql.id(FIRST_LAYOUT_TABLE)} rename to claims_migration`.execute(trx)
    await sql`alter table if exists ${s}.${sql.id(`${FIRST_LAYOUT_TABLE}_lock`)} rename to claims_migration_lock`.execute(trx)
    // The first layout granted the runtime role every table of the schema, its migration
    // history included: a tenant's connection could rewrite it. The history is the owner's.
    await sql`revoke all on ${s}.claims_migration from ${sql.id(runtimeRole)}`.execute(trx)
    const lock = await sql<{ t: string | null }>`select to_regclass(${`${schema}.claims_migration_lock`})::text as t`.execute(trx)
    if (lock.rows[0]?.t) await sql`revoke all on ${s}.claims_migration_lock from ${sql.id(runtimeRole)}`.execute(trx)
    return true
  })
}
