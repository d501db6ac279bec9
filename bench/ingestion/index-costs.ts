/**
 * The index budget of `claim_records`, measured: what each index, trigger and foreign key adds to
 * a `psql \copy` of the generated claims file, against a table with its primary key only, all in
 * one run (docs/index-budget.md quotes its output).
 *
 * Usage:
 *
 * ```sh
 * DATABASE_URL=postgres://postgres@127.0.0.1:5432/mydb npx tsx bench/ingestion/index-costs.ts
 * DATABASE_URL=... INDEX_COSTS_ROWS=200000 INDEX_COSTS_ROUNDS=3 npx tsx bench/ingestion/index-costs.ts
 * DATABASE_URL=... INDEX_COSTS_ROWS=1000000 INDEX_COSTS_ONLY=sets npx tsx bench/ingestion/index-costs.ts
 * ```
 *
 * Environment:
 * - `DATABASE_URL` (required): a superuser or database owner connection; the run uses only schemas
 *   named after `INDEX_COSTS_SCHEMA` in that database (it drops and recreates them);
 * - `INDEX_COSTS_ROWS` (default 200,000): data rows of the file;
 * - `INDEX_COSTS_ROUNDS` (default 1): rounds of every variant; the table shows each variant's median;
 * - `INDEX_COSTS_ONLY`: `sets` for pk only and the whole sets (the 0010 and 0009 sets, the 0010
 *   set with triggers, with the foreign key, the migrated table); `steps` for pk only and the steps
 *   beyond the budget (`STEPS` below: the migrated shape, then one index fewer at each step);
 *   unset, every variant; `INDEX_COSTS_MATCH` (comma-separated) keeps only the variants whose
 *   name contains one of its parts (and pk only);
 * - `INDEX_COSTS_SCHEMA` (default `index_costs`): prefix of the schemas used;
 * - `PSQL` (default `/usr/bin/psql`); `PGOPTIONS` reaches the timed psql sessions, so a session
 *   setting can be tried on the copies (`PGOPTIONS='-c wal_compression=lz4'`, as a superuser).
 *
 * What it does:
 * 1. writes the claims file once (`csvStream` of test/ingestion/csv-fixtures.ts, the file the
 *    ingestion bench uses: `$TMPDIR/upstream-bench-ingest-<rows>.csv`, kept between runs);
 * 2. migrates two schemas with the shipped claims migrations, `<prefix>_0009` (up to
 *    `0009-background-jobs`) and `<prefix>_0010` (to the latest), and reads `claim_records`'
 *    indexes, constraints and triggers back from the catalog (`pg_get_indexdef`,
 *    `pg_get_constraintdef`, `pg_get_triggerdef`): every definition measured is the migrations'
 *    own, same columns, operator classes and `include` lists;
 * 3. for each variant, creates a fresh table `<prefix>_work.claim_records` of `claim_records`'
 *    shape (`like ... including defaults including identity`, no checks; `customer_id` and
 *    `upload_id` default to a customer and an upload of `<prefix>_0010`), adds the primary key
 *    and the variant's indexes (a unique constraint is recreated as its constraint), then in one
 *    `psql` session runs `checkpoint` and the timed `\copy` (`\timing`), and drops the table;
 *    the variant "claim_records as migrated" copies into `<prefix>_0010.claim_records` itself
 *    (truncated first): its checks, foreign key, data-version triggers, all 9 indexes; the steps
 *    rebuild that shape on the work table (with its checks) and drop one index more at each step;
 * 4. prints a Markdown table: variant, seconds (median of the rounds, each round's in brackets),
 *    seconds over the pk-only copy, the same per 1,000,000 rows, the table's index size after the
 *    copy (all its indexes, the primary key's included), the WAL written and the checkpoints
 *    begun meanwhile (both for the whole cluster: other databases' writes count too, so they
 *    explain a slow copy rather than measure it), and the load average (`/proc/loadavg`, 1-minute)
 *    at the start of each copy.
 *
 * A first, untimed `\copy` into a pk-only table warms the page cache with the file. The per-1M
 * column is a linear scale of the measured rows: a real million costs more per row than 200,000
 * once the indexes outgrow the server's buffers (docs/index-budget.md, "Why a million costs more").
 * Variants of the default run: pk only; pk + each index of the 0010 set; pk + each index only the
 * 0009 set has, and its three trigram indexes together; the whole sets; pk + the triggers, the
 * foreign key, the checks each; the steps.
 */
import { execFile } from 'node:child_process'
import { createWriteStream, existsSync, readFileSync } from 'node:fs'
import { rename } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { promisify } from 'node:util'
import pg from 'pg'
import { createDatabase } from '../../src/db/create-database.js'
import { migrateToLatest } from '../../src/db/migrate-to-latest.js'
import { coreMigrations, defineMigrationSet } from '../../src/db/index.js'
import { claimsMigrations } from '../../src/claims/index.js'
import { csvStream } from '../../test/ingestion/csv-fixtures.js'

const run = promisify(execFile)
const URL = process.env.DATABASE_URL
if (!URL) throw new Error('index-costs: set DATABASE_URL (a database of your own: the run drops and recreates its schemas)')
const ROWS = Number(process.env.INDEX_COSTS_ROWS ?? 200_000)
const ROUNDS = Number(process.env.INDEX_COSTS_ROUNDS ?? 1)
const ONLY = process.env.INDEX_COSTS_ONLY ?? 'all'
if (!['all', 'sets', 'steps'].includes(ONLY)) throw new Error(`index-costs: INDEX_COSTS_ONLY must be sets or steps, got ${ONLY}`)
const PREFIX = process.env.INDEX_COSTS_SCHEMA ?? 'index_costs'
const PSQL = process.env.PSQL ?? '/usr/bin/psql'
if (!/^[a-z_][a-z0-9_]{0,40}$/.test(PREFIX)) throw new Error(`index-costs: INDEX_COSTS_SCHEMA must be a plain lowercase identifier, got ${PREFIX}`)
if (!Number.isInteger(ROWS) || ROWS < 1 || !Number.isInteger(ROUNDS) || ROUNDS < 1) throw new Error('index-costs: INDEX_COSTS_ROWS and INDEX_COSTS_ROUNDS must be positive integers')

const S0009 = `${PREFIX}_0009`
const S0010 = `${PREFIX}_0010`
const WORK = `${PREFIX}_work`
const COLUMNS = 'claim_number, payer_name, cpt_code, service_date, billed_amount, allowed_amount, paid_amount, status, denial_reason'

/** The claims set as shipped up to `0009-background-jobs` (the set before the index budget). */
const claimsUpTo0009 = defineMigrationSet({
  name: 'claims',
  requires: [coreMigrations],
  migrations: (ctx) => Object.fromEntries(Object.entries(claimsMigrations.migrations(ctx)).filter(([name]) => name <= '0009-background-jobs')),
})

/** One index, constraint or trigger of `claim_records`, as the migrations made it. */
interface Definition {
  readonly name: string
  readonly kind: 'index' | 'constraint' | 'trigger'
  /** The statement that recreates it on `<work>.claim_records`. */
  readonly ddl: string
  /** The definition with the schema taken out, to compare the two sets. */
  readonly key: string
}

/** A table to copy into: the statements that make it, or the migrated table itself. */
interface Variant {
  readonly name: string
  readonly definitions: readonly Definition[]
  readonly migrated?: true
  /** The work table also gets `claim_records`' check constraints (`including constraints`). */
  readonly checks?: true
}

/**
 * The steps beyond the 0010 budget, in order: each drops one more index from the migrated
 * table's shape (0010 set, data-version triggers, foreign key, checks), dearest first among the
 * indexes that serve one read each; the last drops the service-date index (the default ordering),
 * which leaves what the contract requires: primary key, unique key, foreign key (and the checks
 * and triggers).
 */
const STEPS = [
  'claim_records_search_trgm_idx',
  'claim_records_billed_amount_idx',
  'claim_records_payer_name_idx',
  'claim_records_status_idx',
  'claim_records_claim_number_idx',
  'claim_records_created_at_idx',
  'claim_records_service_date_idx',
] as const

interface Sample {
  readonly seconds: number
  readonly load: number
  readonly indexBytes: number
  /** WAL written during the checkpoint and copy, by the whole cluster (other databases' writes included). */
  readonly walBytes: number
  /** Checkpoints that started during the copy, in the whole cluster (the one before it not counted). */
  readonly checkpoints: number
}

async function ensureCsv(rows: number): Promise<string> {
  const file = join(tmpdir(), `upstream-bench-ingest-${rows}.csv`)
  if (!existsSync(file)) {
    console.log(`[index-costs] writing ${file} ...`)
    await pipeline(csvStream(rows), createWriteStream(`${file}.part`))
    await rename(`${file}.part`, file)
  }
  return file
}

async function migrate(schema: string, set: typeof claimsMigrations): Promise<void> {
  const upstream = await createDatabase({ connectionString: URL, schema })
  try {
    await migrateToLatest(upstream, { sets: [set] })
  } finally {
    await upstream.destroy()
  }
}

/** `claim_records`' primary key, unique constraints, other indexes, foreign keys and triggers in `schema`, rewritten for the work table. */
async function definitionsOf(client: pg.Client, schema: string): Promise<Definition[]> {
  const table = `${schema}.claim_records`
  const target = `${WORK}.claim_records`
  const onTable = new RegExp(` ON (ONLY )?${schema}\\.claim_records `)
  const unqualified = (text: string) => text.replaceAll(`${schema}.`, '')
  const constraints = await client.query<{ name: string; def: string; type: string }>(
    `select conname as name, pg_get_constraintdef(oid) as def, contype as type from pg_constraint
      where conrelid = $1::regclass and contype in ('p', 'u', 'f') order by contype desc, conname`,
    [table],
  )
  const indexes = await client.query<{ name: string; def: string }>(
    `select c.relname as name, pg_get_indexdef(i.indexrelid) as def from pg_index i join pg_class c on c.oid = i.indexrelid
      where i.indrelid = $1::regclass and not exists (select from pg_constraint k where k.conindid = i.indexrelid and k.conrelid = i.indrelid)
      order by c.relname`,
    [table],
  )
  const triggers = await client.query<{ name: string; def: string }>(
    `select tgname as name, pg_get_triggerdef(oid) as def from pg_trigger where tgrelid = $1::regclass and not tgisinternal order by tgname`,
    [table],
  )
  const out: Definition[] = []
  for (const c of constraints.rows) {
    out.push({ name: c.name, kind: 'constraint', ddl: `alter table ${target} add constraint ${c.name} ${c.def}`, key: `${c.name} ${unqualified(c.def)}` })
  }
  for (const i of indexes.rows) {
    if (!onTable.test(i.def)) throw new Error(`index-costs: unexpected index definition ${i.def}`)
    out.push({ name: i.name, kind: 'index', ddl: i.def.replace(onTable, ` ON ${target} `), key: unqualified(i.def) })
  }
  for (const t of triggers.rows) {
    if (!onTable.test(t.def)) throw new Error(`index-costs: unexpected trigger definition ${t.def}`)
    out.push({ name: t.name, kind: 'trigger', ddl: t.def.replace(onTable, ` ON ${target} `), key: unqualified(t.def) })
  }
  return out
}

function variantsOf(d0009: readonly Definition[], d0010: readonly Definition[]): Variant[] {
  const pk = d0010.filter((d) => d.kind === 'constraint' && d.name.endsWith('_pkey'))
  if (pk.length !== 1) throw new Error('index-costs: claim_records has no primary key')
  const isIndex = (d: Definition) => (d.kind === 'index' || (d.kind === 'constraint' && /^UNIQUE /.test(d.ddl.split(` ${d.name} `)[1] ?? '')))
  const set0010 = d0010.filter(isIndex)
  const set0009 = d0009.filter(isIndex)
  const only0009 = set0009.filter((d) => !set0010.some((e) => e.key === d.key))
  const triggers = d0010.filter((d) => d.kind === 'trigger')
  const foreignKeys = d0010.filter((d) => d.kind === 'constraint' && d.ddl.includes('FOREIGN KEY'))
  if (set0010.length !== 8 || set0009.length !== 12) console.warn(`[index-costs] note: ${set0010.length + 1} indexes as of 0010, ${set0009.length + 1} as of 0009`)
  const perColumnGins = only0009.filter((d) => d.key.includes('USING gin'))
  const variants: Variant[] = [{ name: 'pk only', definitions: pk }]
  if (ONLY === 'all') {
    for (const d of set0010) variants.push({ name: `pk + ${d.name} (0010)`, definitions: [...pk, d] })
    for (const d of only0009) variants.push({ name: `pk + ${d.name} (0009 only)`, definitions: [...pk, d] })
    if (perColumnGins.length > 1) variants.push({ name: `pk + the ${perColumnGins.length} per-column trigram GINs (0009)`, definitions: [...pk, ...perColumnGins] })
  }
  if (ONLY !== 'steps') variants.push(
    { name: `0010 set (${set0010.length + 1} indexes)`, definitions: [...pk, ...set0010] },
    { name: `0009 set (${set0009.length + 1} indexes)`, definitions: [...pk, ...set0009] },
    { name: '0010 set + data-version triggers', definitions: [...pk, ...set0010, ...triggers] },
    { name: '0010 set + foreign key', definitions: [...pk, ...set0010, ...foreignKeys] },
    { name: 'claim_records as migrated (0010 set, triggers, foreign key, checks)', definitions: [], migrated: true },
  )
  if (ONLY !== 'sets') {
    variants.push(
      { name: 'pk + data-version triggers', definitions: [...pk, ...triggers] },
      { name: 'pk + foreign key', definitions: [...pk, ...foreignKeys] },
      { name: 'pk + checks', definitions: pk, checks: true },
    )
    let shape = [...pk, ...set0010, ...triggers, ...foreignKeys]
    variants.push({ name: 'step 0: 0010 set + triggers + foreign key + checks (work table)', definitions: shape, checks: true })
    STEPS.forEach((name, i) => {
      const before = shape.length
      shape = shape.filter((d) => d.name !== name)
      if (shape.length !== before - 1) throw new Error(`index-costs: ${name} is not in the 0010 set`)
      const floor = i === STEPS.length - 1 ? ' (the contract floor: pk, unique key, foreign key, checks, triggers)' : ''
      variants.push({ name: `step ${i + 1}: without ${STEPS.slice(0, i + 1).map((n) => n.replace(/^claim_records_|_idx$/g, '')).join(', ')}${floor}`, definitions: shape, checks: true })
    })
  }
  const match = process.env.INDEX_COSTS_MATCH
  return match ? variants.filter((v) => v.name === 'pk only' || match.split(',').some((m) => v.name.includes(m))) : variants
}

const loadavg = () => Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0])

/** One `\copy` in its own psql session after a checkpoint; the copy's own time (`\timing`), in seconds. */
async function timedCopy(table: string, file: string): Promise<number> {
  const script = `checkpoint;\n\\timing on\n\\copy ${table} (${COLUMNS}) from '${file}' with (format csv, header true)\n`
  const child = run(PSQL, [URL as string, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-f', '-'], { maxBuffer: 1 << 20 })
  child.child.stdin?.end(script)
  const { stdout } = await child
  const times = [...stdout.matchAll(/Time: ([\d.]+) ms/g)].map((m) => Number(m[1]))
  const copyMs = times.at(-1)
  if (copyMs === undefined) throw new Error(`index-costs: no timing in psql output: ${stdout}`)
  return copyMs / 1000
}

async function measure(client: pg.Client, variant: Variant, file: string, ids: { customer: string; upload: string }): Promise<Sample> {
  let table = `${WORK}.claim_records`
  if (variant.migrated) {
    table = `${S0010}.claim_records`
    await client.query(`truncate ${table}`)
    await client.query(`alter table ${table} alter column customer_id set default ${ids.customer}, alter column upload_id set default ${ids.upload}`)
  } else {
    await client.query(`drop table if exists ${table}`)
    await client.query(`create table ${table} (like ${S0010}.claim_records including defaults including identity${variant.checks ? ' including constraints' : ''})`)
    await client.query(`alter table ${table} alter column customer_id set default ${ids.customer}, alter column upload_id set default ${ids.upload}`)
    for (const d of variant.definitions) await client.query(d.ddl)
  }
  const counters = `select pg_current_wal_lsn()::text as lsn, (checkpoints_timed + checkpoints_req)::int as n from pg_stat_bgwriter`
  const before = (await client.query<{ lsn: string; n: number }>(counters)).rows[0]!
  const load = loadavg()
  const seconds = await timedCopy(table, file)
  const after = await client.query<{ idx: string; wal: string; n: number }>(
    `select pg_indexes_size($1::regclass)::text as idx, pg_wal_lsn_diff(pg_current_wal_lsn(), $2::pg_lsn)::bigint::text as wal,
            (select (checkpoints_timed + checkpoints_req)::int from pg_stat_bgwriter) as n`,
    [table, before.lsn],
  )
  if (variant.migrated) {
    await client.query(`truncate ${table}`)
    await client.query(`alter table ${table} alter column customer_id drop default, alter column upload_id drop default`)
  } else {
    await client.query(`drop table ${table}`)
  }
  const row = after.rows[0]!
  return { seconds, load, indexBytes: Number(row.idx), walBytes: Number(row.wal), checkpoints: Math.max(0, row.n - before.n - 1) }
}

const median = (values: readonly number[]) => {
  const s = [...values].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2
}

const file = await ensureCsv(ROWS)
const client = new pg.Client({ connectionString: URL })
await client.connect()
try {
  console.log(`[index-costs] migrating ${S0009} (claims up to 0009) and ${S0010} (latest) ...`)
  for (const s of [S0009, S0010, WORK]) await client.query(`drop schema if exists ${s} cascade`)
  await migrate(S0009, claimsUpTo0009)
  await migrate(S0010, claimsMigrations)
  await client.query(`create schema ${WORK}`)
  const customer = (await client.query<{ id: string }>(`insert into ${S0010}.customers (name) values ('index-costs') returning id::text`)).rows[0]!.id
  const upload = (
    await client.query<{ id: string }>(
      `insert into ${S0010}.uploads (customer_id, filename, status, row_count) values ($1, 'index-costs.csv', 'success', $2) returning id::text`,
      [customer, ROWS],
    )
  ).rows[0]!.id
  const ids = { customer, upload }
  const d0009 = await definitionsOf(client, S0009)
  const d0010 = await definitionsOf(client, S0010)
  console.log('[index-costs] definitions read from the migrated schemas (as recreated on the work table):')
  for (const d of [...d0010, ...d0009.filter((x) => !d0010.some((y) => y.key === x.key))]) console.log(`  ${d0010.includes(d) ? '0010' : '0009'}  ${d.ddl}`)
  const variants = variantsOf(d0009, d0010)

  console.log(`[index-costs] ${ROWS.toLocaleString('en-US')} rows, ${ROUNDS} round(s), ${variants.length} variants; warming the page cache ...`)
  await measure(client, variants[0] as Variant, file, ids)
  const samples = new Map<string, Sample[]>(variants.map((v) => [v.name, []]))
  for (let round = 1; round <= ROUNDS; round++) {
    for (const v of variants) {
      const sample = await measure(client, v, file, ids)
      samples.get(v.name)!.push(sample)
      console.log(`round ${round}/${ROUNDS}  ${sample.seconds.toFixed(2).padStart(7)} s  load ${sample.load.toFixed(2)}  ${v.name}`)
    }
  }

  const per1M = 1_000_000 / ROWS
  const floor = median(samples.get('pk only')!.map((s) => s.seconds))
  const loads = [...samples.values()].flat().map((s) => s.load)
  const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0)
  console.log(
    `\n${ROWS.toLocaleString('en-US')} rows, \\copy after checkpoint, ${ROUNDS === 1 ? 'one run' : `median of ${ROUNDS} rounds`}; ` +
      `load average (1 min) ${Math.min(...loads).toFixed(2)} to ${Math.max(...loads).toFixed(2)}; PGOPTIONS ${process.env.PGOPTIONS ?? '(none)'}; ${new Date().toISOString()}\n`,
  )
  console.log(`| variant | s | + over pk only, s | + per 1M rows, s | index MB | WAL GB (cluster) | checkpoints (cluster) | load (1 min) |`)
  console.log(`|---|---:|---:|---:|---:|---:|---:|---|`)
  for (const v of variants) {
    const got = samples.get(v.name)!
    const s = median(got.map((x) => x.seconds))
    const plus = v.name === 'pk only' ? '' : (s - floor).toFixed(2)
    const plus1M = v.name === 'pk only' ? `(pk only: ${(s * per1M).toFixed(2)})` : ((s - floor) * per1M).toFixed(1)
    const rounds = got.length > 1 ? ` (${got.map((x) => x.seconds.toFixed(2)).join(' / ')})` : ''
    console.log(
      `| ${v.name} | ${s.toFixed(2)}${rounds} | ${plus} | ${plus1M} | ${mb(median(got.map((x) => x.indexBytes)))} | ${(median(got.map((x) => x.walBytes)) / 1024 ** 3).toFixed(2)} | ${got.map((x) => x.checkpoints).join(' / ')} | ${got.map((x) => x.load.toFixed(1)).join(' / ')} |`,
    )
  }
  console.log(`\n/proc/loadavg at the end: ${readFileSync('/proc/loadavg', 'utf8').trim()}`)
} finally {
  await client.end()
}
