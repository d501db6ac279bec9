import { sql, type Kysely } from 'kysely'
import { sqlStateOf } from '../errors/index.js'
import type { UpstreamDatabase } from '../db/index.js'
import { TENANT_SETTING } from '../tenancy/index.js'
import type { IsolationFailure, IsolationReport, IsolationRule } from './isolation-rule.js'
import { TenantIsolationError } from './tenant-isolation-error.js'

/**
 * One table for {@link checkTenantIsolation}, with what the active probe needs.
 *
 * @example
 * ```ts
 * const projects: IsolatedTable<AppDatabase> = {
 *   table: 'projects',
 *   sample: (db, customerId) => db.insertInto('projects').values({ customer_id: customerId, name: 'probe' }).execute(),
 * }
 * ```
 */
export interface IsolatedTable<DB> {
  /** The table, in the library's schema. */
  readonly table: string
  /** The tenant column. Default `customer_id`. */
  readonly tenantColumn?: string
  /**
   * Keys (constraint or index names) that are unique across tenants on purpose, such as
   * `api_keys_key_hash_key` (a token names its tenant); the `key` rule skips them.
   */
  readonly globalKeys?: readonly string[]
  /**
   * Writes at least one row of this table (and any parents it needs) as the tenant
   * `customerId`, through `db`: a transaction running as the runtime role with that tenant
   * set. Without it the table's catalog is checked but the active probe does not run (the
   * report's `probed` leaves it out).
   */
  readonly sample?: (db: Kysely<DB>, customerId: number) => Promise<unknown>
}

interface TableFacts {
  readonly exists: boolean
  readonly rls: boolean
  readonly forced: boolean
  readonly owner: string
  readonly columnType: string | null
  readonly columnNotNull: boolean
}

interface PolicyFact {
  readonly name: string
  readonly permissive: boolean
  readonly cmd: string
  readonly roles: string[]
  readonly qual: string | null
  readonly withCheck: string | null
}

interface KeyFact {
  readonly name: string
  readonly kind: string
  readonly first: string | null
}

/** Thrown inside the probe's transaction to roll it back. */
class ProbeDone extends Error {}

const includesTenant = (expr: string | null, column: string) =>
  expr !== null && expr.includes(`current_setting('${TENANT_SETTING}'`) && new RegExp(`(^|[^a-z0-9_"])"?${column}"?([^a-z0-9_"]|$)`).test(expr)

/**
 * Checks that tenants are isolated in each named table, for an app's own test suite (run it
 * as the database owner against the migrated test database):
 *
 * - the catalog: RLS enabled and forced, the tenant policy present and reading the tenant
 *   setting, no other permissive policy letting the runtime role through, the runtime role
 *   unable to bypass RLS, primary/unique keys and foreign keys led by the tenant column, an
 *   index led by it (see {@link IsolationRule});
 * - an active probe, for tables given a `sample`: in one transaction that is rolled back, two
 *   throwaway tenants A and B are made, the sample writes rows as A, and then B must see none
 *   of them, and A must fail to insert a row carrying B's id and to move its rows to B.
 *
 * Resolves with every failure, each naming the table and the rule; it never throws for a
 * broken table (see {@link assertTenantIsolation}).
 *
 * @example
 * ```ts
 * const report = await checkTenantIsolation(upstream, [
 *   { table: 'projects', sample: (db, id) => db.insertInto('projects').values({ customer_id: id, name: 'p' }).execute() },
 *   'tasks',
 * ])
 * expect(report.failures).toEqual([])
 * ```
 */
export async function checkTenantIsolation<DB>(upstream: UpstreamDatabase<DB>, tables: readonly (string | IsolatedTable<DB>)[]): Promise<IsolationReport> {
  const db = upstream.db.withoutPlugins()
  const failures: IsolationFailure[] = []
  const checked: string[] = []
  const probed: string[] = []
  const role = await sql<{ super: boolean; bypass: boolean }>`
    select rolsuper as super, rolbypassrls as bypass from pg_roles where rolname = ${upstream.runtimeRole}`.execute(db)
  for (const entry of tables) {
    const spec: IsolatedTable<DB> = typeof entry === 'string' ? { table: entry } : entry
    const table = spec.table
    const column = spec.tenantColumn ?? 'customer_id'
    const fail = (rule: IsolationRule, message: string) => failures.push({ table, rule, message: `${table} [${rule}]: ${message}` })
    const qualified = `${upstream.schema}.${table}`
    const facts = await tableFacts(db, upstream.schema, table, column)
    checked.push(table)
    if (!facts.exists) {
      fail('table', `no table ${qualified}: tenant tables live in the library's schema (${upstream.schema}).`)
      continue
    }
    if (facts.columnType === null) fail('tenant-column', `no column ${column}: name the tenant column with tenantColumn.`)
    else {
      if (facts.columnType !== 'bigint') fail('tenant-column', `${column} is ${facts.columnType}, not bigint (customers.id is bigint).`)
      if (!facts.columnNotNull) fail('tenant-column', `${column} is nullable: a row without a tenant belongs to no one; make it NOT NULL.`)
    }
    if (!facts.rls) fail('rls-enabled', `row-level security is off, so every role with a grant reads every tenant's rows: ALTER TABLE ${qualified} ENABLE ROW LEVEL SECURITY (tenantTable does it).`)
    if (!facts.forced) fail('rls-forced', `row-level security is not forced, so the table's owner (${facts.owner}) bypasses it: ALTER TABLE ${qualified} FORCE ROW LEVEL SECURITY (tenantTable does it).`)

    const policies = await policyFacts(db, upstream.schema, table)
    const applies = (p: PolicyFact) => p.roles.includes('public') || p.roles.includes(upstream.runtimeRole)
    const tenantPolicy = policies.find((p) => p.permissive && applies(p) && p.cmd === 'ALL' && includesTenant(p.qual, column) && (p.withCheck === null || includesTenant(p.withCheck, column)))
    if (!tenantPolicy) fail('policy', `no policy for all commands compares ${column} with current_setting('${TENANT_SETTING}') in USING and WITH CHECK for the runtime role ${upstream.runtimeRole} (tenantTable creates it).`)
    for (const p of policies) {
      if (p === tenantPolicy || !p.permissive || !applies(p)) continue
      const opens = p.cmd === 'INSERT' ? !includesTenant(p.withCheck, column) : !includesTenant(p.qual, column) || (p.withCheck !== null && !includesTenant(p.withCheck, column))
      if (opens) fail('permissive-policy', `permissive policy ${p.name} (${p.cmd}) lets the runtime role ${upstream.runtimeRole} through without the tenant setting: policies are OR-ed, so it opens the table to every tenant.`)
    }

    const r = role.rows[0]
    if (!r) fail('runtime-role', `the runtime role ${upstream.runtimeRole} does not exist.`)
    else {
      if (r.super) fail('runtime-role', `the runtime role ${upstream.runtimeRole} is a superuser and bypasses row-level security.`)
      if (r.bypass) fail('runtime-role', `the runtime role ${upstream.runtimeRole} has BYPASSRLS.`)
      const member = await sql<{ m: boolean }>`select pg_has_role(${upstream.runtimeRole}, ${facts.owner}, 'MEMBER') as m`.execute(db)
      if (facts.owner === upstream.runtimeRole) fail('runtime-role', `the runtime role ${upstream.runtimeRole} owns the table (an owner can turn row-level security off).`)
      else if (member.rows[0]?.m) fail('runtime-role', `the runtime role ${upstream.runtimeRole} is a member of the table's owner ${facts.owner} (it can become the owner and turn row-level security off).`)
    }

    const keys = await keyFacts(db, upstream.schema, table)
    const global = new Set(spec.globalKeys ?? [])
    for (const k of keys) {
      if (k.first === column || global.has(k.name)) continue
      const what = k.kind === 'p' ? 'primary key' : k.kind === 'u' ? 'unique constraint' : k.kind === 'f' ? 'foreign key' : k.kind === 'x' ? 'unique index' : null
      if (what === null) continue
      const lead = k.first ?? 'an expression'
      if (k.kind === 'f') fail('foreign-key', `foreign key ${k.name} starts with ${lead}, not ${column}: a row could point at another tenant's row; reference (${column}, ...) of the parent's key.`)
      else fail('key', `${what} ${k.name} starts with ${lead}, not ${column}: lead it with the tenant column (such as primary key (${column}, id)), so uniqueness and lookups stay within one tenant.`)
    }
    if (!keys.some((k) => (k.kind === 'i' || k.kind === 'x' || k.kind === 'p' || k.kind === 'u') && k.first === column)) {
      fail('tenant-index', `no index starts with ${column}: every tenant query scans every tenant's rows; lead the primary key or an index with it.`)
    }

    if (spec.sample) {
      probed.push(table)
      await probe(upstream, spec, column, fail)
    }
  }
  return Object.freeze({ failures: Object.freeze(failures), checked: Object.freeze(checked), probed: Object.freeze(probed) })
}

async function tableFacts<DB>(db: Kysely<DB>, schema: string, table: string, column: string): Promise<TableFacts> {
  const r = await sql<{ rls: boolean; forced: boolean; owner: string; type: string | null; notnull: boolean | null }>`
    select c.relrowsecurity as rls, c.relforcerowsecurity as forced, pg_get_userbyid(c.relowner) as owner,
           format_type(a.atttypid, a.atttypmod) as type, a.attnotnull as notnull
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    left join pg_attribute a on a.attrelid = c.oid and a.attname = ${column} and a.attnum > 0 and not a.attisdropped
    where n.nspname = ${schema} and c.relname = ${table} and c.relkind in ('r', 'p')`.execute(db)
  const row = r.rows[0]
  if (!row) return { exists: false, rls: false, forced: false, owner: '', columnType: null, columnNotNull: false }
  return { exists: true, rls: row.rls, forced: row.forced, owner: row.owner, columnType: row.type, columnNotNull: row.notnull === true }
}

async function policyFacts<DB>(db: Kysely<DB>, schema: string, table: string): Promise<PolicyFact[]> {
  const r = await sql<{ name: string; permissive: string; cmd: string; roles: string[] | string; qual: string | null; with_check: string | null }>`
    select policyname as name, permissive, cmd, roles::text[] as roles, qual, with_check from pg_policies where schemaname = ${schema} and tablename = ${table}`.execute(db)
  return r.rows.map((p) => ({
    name: p.name,
    permissive: p.permissive === 'PERMISSIVE',
    cmd: p.cmd,
    roles: Array.isArray(p.roles) ? p.roles : String(p.roles).replace(/^\{|\}$/g, '').split(','),
    qual: p.qual,
    withCheck: p.with_check,
  }))
}

async function keyFacts<DB>(db: Kysely<DB>, schema: string, table: string): Promise<KeyFact[]> {
  const r = await sql<KeyFact>`
    select con.conname as name, con.contype::text as kind, a.attname::text as first
    from pg_constraint con
    join pg_class c on c.oid = con.conrelid join pg_namespace n on n.oid = c.relnamespace
    left join pg_attribute a on a.attrelid = c.oid and a.attnum = con.conkey[1]
    where n.nspname = ${schema} and c.relname = ${table} and con.contype in ('p', 'u', 'f')
    union all
    select i.relname, case when x.indisunique then 'x' else 'i' end, a.attname::text
    from pg_index x
    join pg_class i on i.oid = x.indexrelid join pg_class c on c.oid = x.indrelid join pg_namespace n on n.oid = c.relnamespace
    left join pg_attribute a on a.attrelid = c.oid and a.attnum = x.indkey[0] and x.indkey[0] <> 0
    where n.nspname = ${schema} and c.relname = ${table}
      and not exists (select from pg_constraint k where k.conindid = x.indexrelid and k.conrelid = c.oid and k.contype in ('p', 'u', 'x'))
    order by 1`.execute(db)
  return r.rows
}

async function probe<DB>(upstream: UpstreamDatabase<DB>, spec: IsolatedTable<DB>, column: string, fail: (rule: IsolationRule, message: string) => void): Promise<void> {
  const s = upstream.schema
  const t = sql.id(s, spec.table)
  const c = sql.id(column)
  const asTenant = (trx: Kysely<DB>, id: number) =>
    sql`select set_config('role', ${upstream.runtimeRole}, true), set_config(${TENANT_SETTING}, ${String(id)}, true)`.execute(trx)
  const asOwner = (trx: Kysely<DB>) => sql`select set_config('role', current_user, true)`.execute(trx)
  try {
    await upstream.db.transaction().execute(async (trx) => {
      const stamp = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`
      const made = await sql<{ id: number | string }>`insert into ${sql.id(s, 'customers')} (name) values (${`upstream-probe-a-${stamp}`}), (${`upstream-probe-b-${stamp}`}) returning id`.execute(trx)
      const [a, b] = made.rows.map((r) => Number(r.id))
      if (a === undefined || b === undefined) throw new Error('could not make the probe tenants')

      await asTenant(trx, a)
      try {
        await spec.sample!(trx, a)
      } catch (error) {
        fail('probe', `the sample could not write as tenant ${a}: ${error instanceof Error ? error.message : String(error)}`)
        throw new ProbeDone()
      }
      const mine = await sql<{ n: string }>`select count(*)::text as n from ${t} where ${c} = ${a}`.execute(trx)
      if (Number(mine.rows[0]?.n) === 0) {
        fail('probe', `the sample wrote no row of ${spec.table} visible to tenant ${a} itself.`)
        throw new ProbeDone()
      }

      await asTenant(trx, b)
      const seen = await sql<{ n: string }>`select count(*)::text as n from ${t}`.execute(trx)
      if (Number(seen.rows[0]?.n) > 0) fail('probe-read', `tenant ${b} sees ${seen.rows[0]?.n} row(s) written as tenant ${a}.`)

      // As A: insert a copy of one of A's rows carrying B's id, then try to move A's rows to B.
      await asOwner(trx)
      const cols = await sql<{ name: string }>`
        select a.attname as name from pg_attribute a
        where a.attrelid = ${`${s}.${spec.table}`}::regclass and a.attnum > 0 and not a.attisdropped and a.attidentity <> 'a' and a.attgenerated = ''
        order by a.attnum`.execute(trx)
      const names = cols.rows.map((r) => r.name)
      await asTenant(trx, a)
      const attempt = async (what: string, statement: ReturnType<typeof sql>) => {
        await sql`savepoint upstream_probe`.execute(trx)
        try {
          const r = await statement.execute(trx)
          const n = Number(r.numAffectedRows ?? 0)
          if (n > 0) fail('probe-write', `tenant ${a} could ${what} (${n} row(s)).`)
          else fail('probe-write', `could not test whether tenant ${a} can ${what}: the statement touched no row.`)
        } catch (error) {
          if (sqlStateOf(error) !== '42501') fail('probe-write', `could not test whether tenant ${a} can ${what}: ${error instanceof Error ? error.message : String(error)}`)
        }
        await sql`rollback to savepoint upstream_probe`.execute(trx)
      }
      const select = sql.join(names.map((n) => (n === column ? sql`${b}::bigint` : sql.id(n))))
      await attempt(
        `insert a row with tenant ${b}'s id`,
        sql`insert into ${t} (${sql.join(names.map((n) => sql.id(n)))}) select ${select} from ${t} where ${c} = ${a} limit 1`,
      )
      await attempt(`move its rows to tenant ${b}`, sql`update ${t} set ${c} = ${b} where ${c} = ${a}`)
      throw new ProbeDone()
    })
  } catch (error) {
    if (!(error instanceof ProbeDone)) fail('probe', `the probe failed: ${error instanceof Error ? error.message : String(error)}`)
  }
}

/**
 * Like {@link checkTenantIsolation}, but throws {@link TenantIsolationError} listing every
 * failure (one a line, `<table> [<rule>]: ...`) when there is any: one line in an app's test.
 *
 * @example
 * ```ts
 * it('isolates tenants', () => assertTenantIsolation(upstream, ['projects', 'tasks']))
 * ```
 */
export async function assertTenantIsolation<DB>(upstream: UpstreamDatabase<DB>, tables: readonly (string | IsolatedTable<DB>)[]): Promise<IsolationReport> {
  const report = await checkTenantIsolation(upstream, tables)
  if (report.failures.length > 0) throw new TenantIsolationError(report.failures)
  return report
}
