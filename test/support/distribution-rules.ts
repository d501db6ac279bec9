import { sql, type Kysely } from 'kysely'

/**
 * How each table of the library's schema would be placed on Citus (docs/citus.md):
 * - `reference`: one shard copied to every node (customers, api_keys);
 * - `local`: stays on the coordinator (the migration history tables, the job queue's worker table);
 * - every other table is a tenant table, distributed by `customer_id`, co-located.
 */
export interface DistributionPlan {
  readonly reference: readonly string[]
  readonly local: readonly RegExp[]
  /** Triggers tenant tables may carry, by `table.trigger`: each is a blocker docs/citus.md accounts for. */
  readonly knownTriggers: readonly RegExp[]
}

/** The plan of docs/citus.md for the core and claims migration sets. */
export const CITUS_PLAN: DistributionPlan = {
  reference: ['customers', 'api_keys'],
  local: [/_migration$/, /_migration_lock$/, /^job_workers$/],
  knownTriggers: [
    // statement-level data-version triggers (transition tables): blocker 3 of docs/citus.md
    /^[a-z_]+\.[a-z_]+_data_version_(insert|update|delete)$/,
    // the row-level status transition trigger of uploads: blocker 4
    /^uploads\.uploads_status_transition$/,
  ],
}

const DISTRIBUTION_COLUMN = 'customer_id'

interface TableRow {
  oid: number
  name: string
}
interface ColumnRow {
  table: string
  type: string
  notnull: boolean
  attnum: number
}
interface ConstraintRow {
  table: string
  name: string
  type: string
  keys: number[]
  target: string | null
  target_keys: number[] | null
  target_dist: number | null
}
interface IndexRow {
  table: string
  name: string
  keys: number[]
}
interface TriggerRow {
  table: string
  name: string
}

/**
 * Every way the tables of `schema` break the distribution rules of `plan`, as sentences (empty
 * when none). A tenant table must have `customer_id bigint not null`, a primary key that
 * includes it, every unique constraint, unique index and exclusion constraint including it,
 * and every foreign key to another tenant table pairing `customer_id` with `customer_id`;
 * it may reference reference tables, never a local table. A reference table references only
 * reference tables and carries no trigger. A trigger on a tenant table must be one the plan
 * knows of (each is discussed in docs/citus.md).
 */
export async function distributionViolations(db: Kysely<unknown>, schema: string, plan: DistributionPlan = CITUS_PLAN): Promise<string[]> {
  const tables = (
    await sql<TableRow>`
      select c.oid::int as oid, c.relname as name from pg_class c
      where c.relnamespace = (select oid from pg_namespace where nspname = ${schema})
        and c.relkind in ('r', 'p') and not c.relispartition
      order by c.relname`.execute(db)
  ).rows
  const kind = (name: string): 'reference' | 'local' | 'tenant' =>
    plan.reference.includes(name) ? 'reference' : plan.local.some((re) => re.test(name)) ? 'local' : 'tenant'
  const oids = tables.map((t) => t.oid)
  if (oids.length === 0) return [`schema ${schema} has no tables`]

  const columns = (
    await sql<ColumnRow>`
      select a.attrelid::regclass::text as table, format_type(a.atttypid, a.atttypmod) as type, a.attnotnull as notnull, a.attnum::int as attnum
      from pg_attribute a where a.attrelid = any(${oids}::oid[]) and a.attname = ${DISTRIBUTION_COLUMN} and not a.attisdropped`.execute(db)
  ).rows
  const constraints = (
    await sql<ConstraintRow>`
      select k.conrelid::regclass::text as table, k.conname as name, k.contype::text as type, k.conkey::int[] as keys,
             case when k.confrelid <> 0 then (select relname from pg_class where oid = k.confrelid) end as target,
             k.confkey::int[] as target_keys,
             (select a.attnum::int from pg_attribute a where a.attrelid = k.confrelid and a.attname = ${DISTRIBUTION_COLUMN} and not a.attisdropped) as target_dist
      from pg_constraint k where k.conrelid = any(${oids}::oid[]) and k.contype in ('p', 'u', 'x', 'f')
      order by 1, 2`.execute(db)
  ).rows
  const uniqueIndexes = (
    await sql<IndexRow>`
      select x.indrelid::regclass::text as table, i.relname as name, string_to_array(x.indkey::text, ' ')::int[] as keys
      from pg_index x join pg_class i on i.oid = x.indexrelid
      where x.indrelid = any(${oids}::oid[]) and x.indisunique
        and not exists (select from pg_constraint k where k.conindid = x.indexrelid and k.conrelid = x.indrelid)
      order by 1, 2`.execute(db)
  ).rows
  const triggers = (
    await sql<TriggerRow>`
      select t.tgrelid::regclass::text as table, t.tgname as name from pg_trigger t
      where t.tgrelid = any(${oids}::oid[]) and not t.tgisinternal order by 1, 2`.execute(db)
  ).rows

  // regclass::text is schema-qualified unless the schema is on the search path: keep the bare name
  const bare = (qualified: string) => qualified.replace(/^.*\./, '').replace(/^"|"$/g, '')
  const violations: string[] = []
  for (const table of tables) {
    const name = table.name
    const mine = <T extends { table: string }>(rows: readonly T[]) => rows.filter((r) => bare(r.table) === name)
    const dist = mine(columns)[0]
    const own = mine(constraints)
    if (kind(name) === 'local') continue
    if (kind(name) === 'reference') {
      for (const fk of own.filter((c) => c.type === 'f')) {
        if (fk.target && kind(fk.target) !== 'reference') violations.push(`${name} (reference table): foreign key ${fk.name} references ${fk.target}, a ${kind(fk.target)} table (Citus refuses a reference table's foreign key to anything but a reference table)`)
      }
      for (const t of mine(triggers)) violations.push(`${name} (reference table): trigger ${t.name} (Citus refuses triggers on reference tables)`)
      continue
    }
    if (!dist) {
      violations.push(`${name}: no ${DISTRIBUTION_COLUMN} column (a tenant table is distributed by it)`)
      continue
    }
    if (dist.type !== 'bigint') violations.push(`${name}: ${DISTRIBUTION_COLUMN} is ${dist.type}, not bigint (co-location needs one type)`)
    if (!dist.notnull) violations.push(`${name}: ${DISTRIBUTION_COLUMN} is nullable`)
    const d = dist.attnum
    if (!own.some((c) => c.type === 'p')) violations.push(`${name}: no primary key`)
    for (const c of own) {
      const label = c.type === 'p' ? 'primary key' : c.type === 'u' ? 'unique constraint' : c.type === 'x' ? 'exclusion constraint' : 'foreign key'
      if (c.type !== 'f') {
        if (!c.keys.includes(d)) violations.push(`${name}: ${label} ${c.name} does not include ${DISTRIBUTION_COLUMN}`)
        continue
      }
      const target = c.target ?? '?'
      const targetKind = kind(target)
      if (targetKind === 'reference') continue
      if (targetKind === 'local') {
        violations.push(`${name}: foreign key ${c.name} references ${target}, a local table (a distributed table may reference only co-located tenant tables and reference tables)`)
        continue
      }
      const at = c.keys.indexOf(d)
      if (at < 0 || c.target_dist === null || c.target_keys?.[at] !== c.target_dist) {
        violations.push(`${name}: foreign key ${c.name} to tenant table ${target} does not pair ${DISTRIBUTION_COLUMN} with ${target}.${DISTRIBUTION_COLUMN}`)
      }
    }
    for (const i of mine(uniqueIndexes)) {
      if (!i.keys.includes(d)) violations.push(`${name}: unique index ${i.name} does not include ${DISTRIBUTION_COLUMN}`)
    }
    for (const t of mine(triggers)) {
      if (!plan.knownTriggers.some((re) => re.test(`${name}.${t.name}`))) {
        violations.push(`${name}: trigger ${t.name} is not one docs/citus.md accounts for (triggers on distributed tables need citus.enable_unsafe_triggers)`)
      }
    }
  }
  return violations
}
