import type { ClaimsDatabase } from '../../src/claims/index.js'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { sql } from 'kysely'
import { from as copyFrom } from 'pg-copy-streams'
import type { UpstreamDatabase } from '../../src/db/upstream-database.js'
import { withDedicatedConnection } from '../../src/db/with-dedicated-connection.js'
import { ValidationError } from '../../src/errors/validation-error.js'
import { generateApiToken } from '../../src/tenancy/api-token.js'
import { claimsTenant } from '../../src/claims/index.js'
import { resolveApiKey } from '../../src/tenancy/resolve-api-key.js'
import type { ClaimsTenantContext } from '../../src/claims/index.js'
import { PAYERS } from './catalog.js'
import { customerName, planClaims, planUploads, type CustomerPlanOptions, type PlannedClaim } from './customer-plan.js'

/** Options of {@link seedDatabase}. */
export interface SeedOptions {
  /** How many customers (tenants). */
  readonly customers: number
  /** Claims per customer. */
  readonly claimsPerCustomer: number
  /** The seed: same seed (and other options), same rows and tokens. */
  readonly seed: number | string
  /** A payer (one of the seeded ones, e.g. `'Aetna'`) whose denial rate rises in the last 30 days. */
  readonly driftPayer?: string | undefined
  /** The day the data runs up to (exclusive), `YYYY-MM-DD`. Default: today (UTC). Pin it for rows identical across days. */
  readonly asOf?: string | undefined
  /**
   * Customers seeded at once, each on its own connection (PostgreSQL only). Default 1.
   * Rows and tokens are the same whatever the value, and customer ids follow the customer
   * order; with more than 1, upload and claim ids interleave between customers.
   */
  readonly concurrency?: number | undefined
  /** Called after each customer is done, in customer order (for progress output). */
  readonly onCustomer?: ((customer: SeededCustomer, index: number) => void) | undefined
}

/** A seeded customer and its two keys (CONTRACT section 6). */
export interface SeededCustomer {
  readonly customer_id: number
  readonly name: string
  /** A key with scopes `read` and `write`. */
  readonly token: string
  /** A key with scope `read` only. */
  readonly read_token: string
}

const INSERT_BATCH = 1000

function validate(options: SeedOptions): void {
  const errors: Record<string, string[]> = {}
  if (!Number.isSafeInteger(options.customers) || options.customers < 1) errors.customers = ['Must be a positive integer.']
  if (!Number.isSafeInteger(options.claimsPerCustomer) || options.claimsPerCustomer < 0) errors.claimsPerCustomer = ['Must be a non-negative integer.']
  if (typeof options.seed === 'number' ? !Number.isSafeInteger(options.seed) : options.seed.length === 0) errors.seed = ['Must be an integer or a non-empty string.']
  if (options.driftPayer !== undefined && !PAYERS.some((p) => p.name === options.driftPayer)) {
    errors.driftPayer = [`Must be one of: ${PAYERS.map((p) => p.name).join(', ')}.`]
  }
  if (options.asOf !== undefined && (!/^\d{4}-\d{2}-\d{2}$/.test(options.asOf) || Number.isNaN(Date.parse(`${options.asOf}T00:00:00Z`)))) {
    errors.asOf = ['Must be a date YYYY-MM-DD.']
  }
  if (options.concurrency !== undefined && (!Number.isSafeInteger(options.concurrency) || options.concurrency < 1 || options.concurrency > 16)) {
    errors.concurrency = ['Must be an integer from 1 to 16.']
  }
  if (Object.keys(errors).length > 0) throw new ValidationError(errors)
}

function copyLine(rn: number, uploadId: number, c: PlannedClaim, createdAt: string): string {
  const n = (v: string | null) => (v === null ? '\\N' : v)
  return `${rn}\t${uploadId}\t${c.claim_number}\t${c.payer_name}\t${c.cpt_code}\t${c.service_date}\t${c.billed_amount}\t${n(c.allowed_amount)}\t${n(c.paid_amount)}\t${c.status}\t${n(c.denial_reason)}\t${createdAt}\n`
}

async function* copyChunks(claims: Iterable<PlannedClaim>, uploadIds: readonly number[], createdAt: readonly string[]): AsyncGenerator<string> {
  let chunk = ''
  let rows = 0
  let rn = 0
  for (const c of claims) {
    chunk += copyLine(++rn, uploadIds[c.uploadIndex] as number, c, createdAt[c.uploadIndex] as string)
    if (++rows === 2000) {
      yield chunk
      chunk = ''
      rows = 0
    }
  }
  if (chunk) yield chunk
}

type CopyClient = Parameters<Parameters<typeof withDedicatedConnection>[1]>[0]['client']

/**
 * Customers take turns for the only order-sensitive step (creating uploads and reserving
 * claim ids), so ids come out the same whatever the concurrency; the heavy part (COPY and
 * the INSERT with its index maintenance) then runs in parallel.
 */
interface Turn {
  wait(): Promise<void>
  done(): void
}

/** The first of `count` claim ids reserved in one go, or `undefined` when they are not contiguous. */
async function reserveClaimIds(repos: ClaimsTenantContext, schema: string, count: number): Promise<number | undefined> {
  if (count === 0) return undefined
  const { rows } = await sql<{ first: number; last: number }>`
    select min(v) as first, max(v) as last
    from (select nextval(pg_get_serial_sequence(${`${schema}.claim_records`}, 'id')) as v from generate_series(1, ${count}::int)) s`.execute(repos.db)
  const row = rows[0]
  return row && Number(row.last) - Number(row.first) + 1 === count ? Number(row.first) : undefined
}

async function fillCustomer(repos: ClaimsTenantContext, schema: string, plan: CustomerPlanOptions, client: CopyClient | undefined, turn: Turn): Promise<void> {
  const uploads = planUploads(plan)
  const ids: number[] = []
  let firstClaimId: number | undefined
  await turn.wait()
  try {
    for (const u of uploads) {
      const row = await repos.uploads.create({
        filename: u.filename,
        status: u.status,
        row_count: u.rowCount,
        error_message: u.errorMessage,
        uploaded_at: u.uploadedAt,
        processing_started_at: u.processingStartedAt,
        processing_completed_at: u.processingCompletedAt,
      })
      ids.push(row.id)
    }
    if (client) firstClaimId = await reserveClaimIds(repos, schema, plan.claims)
  } finally {
    turn.done()
  }
  const createdAt = uploads.map((u) => u.processingCompletedAt.toISOString())
  const claims = planClaims(plan, uploads)
  const columns = 'upload_id, claim_number, payer_name, cpt_code, service_date, billed_amount, allowed_amount, paid_amount, status, denial_reason, created_at'
  if (client) {
    // COPY into a TEMP table of this session (no RLS there), then one INSERT ... SELECT
    // under the tenant's row-level security: COPY straight into claim_records is refused.
    await sql`create temp table seed_claims (
        rn bigint, upload_id bigint, claim_number text, payer_name text, cpt_code text, service_date date,
        billed_amount numeric(12,2), allowed_amount numeric(12,2), paid_amount numeric(12,2),
        status text, denial_reason text, created_at timestamptz) on commit drop`.execute(repos.db)
    await pipeline(Readable.from(copyChunks(claims, ids, createdAt)), client.query(copyFrom(`copy pg_temp.seed_claims (rn, ${columns}) from stdin`)))
    const target = sql.id(schema, 'claim_records')
    await (firstClaimId === undefined
      ? sql`insert into ${target} (customer_id, ${sql.raw(columns)})
          select ${repos.customerId}::bigint, ${sql.raw(columns)} from pg_temp.seed_claims order by rn`
      : sql`insert into ${target} (id, customer_id, ${sql.raw(columns)}) overriding system value
          select ${firstClaimId - 1}::bigint + rn, ${repos.customerId}::bigint, ${sql.raw(columns)} from pg_temp.seed_claims`
    ).execute(repos.db)
    return
  }
  // PGlite: no pg client for COPY; multi-row INSERTs of INSERT_BATCH rows.
  let batch: PlannedClaim[] = []
  const flush = async () => {
    if (batch.length === 0) return
    await repos.db
      .insertInto('claim_records')
      .values(
        batch.map(({ uploadIndex, ...c }) => ({ ...c, customer_id: repos.customerId, upload_id: ids[uploadIndex] as number, created_at: createdAt[uploadIndex] as string })),
      )
      .execute()
    batch = []
  }
  for (const c of claims) {
    batch.push(c)
    if (batch.length === INSERT_BATCH) await flush()
  }
  await flush()
}

async function ensureCustomer(upstream: UpstreamDatabase<ClaimsDatabase>, name: string): Promise<number> {
  await upstream.db.insertInto('customers').values({ name }).onConflict((oc) => oc.column('name').doNothing()).execute()
  const row = await upstream.db.selectFrom('customers').select('id').where('name', '=', name).executeTakeFirstOrThrow()
  return row.id
}

async function seedCustomer(upstream: UpstreamDatabase<ClaimsDatabase>, index: number, options: SeedOptions, client: CopyClient | undefined, turn: Turn): Promise<SeededCustomer> {
  const seed = String(options.seed)
  const asOf = options.asOf ?? new Date().toISOString().slice(0, 10)
  const name = customerName(index)
  const token = generateApiToken(`${seed}:${name}:read-write`)
  const readToken = generateApiToken(`${seed}:${name}:read`)
  const customerId = await ensureCustomer(upstream, name)
  const missing = {
    token: (await resolveApiKey(upstream, token)) === undefined,
    read: (await resolveApiKey(upstream, readToken)) === undefined,
  }
  await claimsTenant(upstream, customerId).transaction(async (repos) => {
    if (missing.token) await repos.apiKeys.create({ token, scopes: ['read', 'write'], label: 'seed read-write' })
    if (missing.read) await repos.apiKeys.create({ token: readToken, scopes: ['read'], label: 'seed read-only' })
    const hasData = await repos.db.selectFrom('uploads').select('id').limit(1).executeTakeFirst()
    if (hasData) return turn.done()
    await fillCustomer(repos, upstream.schema, { seed, index, claims: options.claimsPerCustomer, asOf, driftPayer: options.driftPayer }, client, turn)
  }).finally(() => turn.done())
  return Object.freeze({ customer_id: customerId, name, token, read_token: readToken })
}

/**
 * Seeds a migrated database with deterministic, realistic data: `customers` practices,
 * each with a read-write and a read-only API key (tokens derived from the seed), about
 * twenty uploads and `claimsPerCustomer` claims over 13+ months up to `asOf`. On
 * PostgreSQL the claims stream through `COPY` into a TEMP table and land with one
 * `INSERT ... SELECT` inside the tenant's transaction (row-level security applies); on
 * PGlite they go in batches of multi-row INSERTs.
 *
 * Idempotent by customer name: a customer that already exists is reused, its keys for
 * this seed are added if missing, and its data is left alone when it already has uploads.
 * Each customer's data lands in one transaction (all or nothing).
 *
 * @example
 * ```ts
 * const upstream = await createDatabase<ClaimsDatabase>({ connectionString: process.env.DATABASE_URL })
 * await migrateToLatest(upstream)
 * const customers = await seedDatabase(upstream, { customers: 2, claimsPerCustomer: 1000, seed: 1 })
 * // [{ customer_id: 1, name: 'Riverside Family Medicine', token: 'up_...', read_token: 'up_...' }, ...]
 * ```
 */
export async function seedDatabase(upstream: UpstreamDatabase<ClaimsDatabase>, options: SeedOptions): Promise<SeededCustomer[]> {
  validate(options)
  const count = options.customers
  // Customers first, in order, so their ids follow the customer order whatever the concurrency.
  for (let index = 0; index < count; index++) await ensureCustomer(upstream, customerName(index))
  const seeded: (SeededCustomer | undefined)[] = new Array(count)
  let next = 0
  let reported = 0
  let failed = false
  const turns = Array.from({ length: count }, () => {
    let resolve!: () => void
    const promise = new Promise<void>((r) => (resolve = r))
    return { promise, resolve }
  })
  const turnOf = (index: number): Turn => ({
    wait: () => (index === 0 ? Promise.resolve() : (turns[index - 1] as { promise: Promise<void> }).promise),
    done: () => turns[index]?.resolve(),
  })
  const worker = async (target: UpstreamDatabase<ClaimsDatabase>, client: CopyClient | undefined) => {
    while (!failed && next < count) {
      const index = next++
      try {
        seeded[index] = await seedCustomer(target, index, options, client, turnOf(index))
      } catch (error) {
        failed = true
        throw error
      }
      for (let c = seeded[reported]; c !== undefined; c = seeded[reported]) {
        const position = reported++ // outside the optional call: \`f?.(x++)\` skips the increment when f is absent
        options.onCustomer?.(c, position)
      }
    }
  }
  // each customer's COPY, `on commit drop` staging table and insert are one transaction: no session state
  const pooled = await withDedicatedConnection(
    upstream,
    async (first) => {
      const others = Array.from({ length: Math.min(options.concurrency ?? 1, count) - 1 }, () =>
        withDedicatedConnection(upstream, ({ upstream: one, client }) => worker(one, client), { scope: 'transaction' }),
      )
      await Promise.all([worker(first.upstream, first.client), ...others])
      return true
    },
    { scope: 'transaction' },
  )
  if (pooled === undefined) await worker(upstream, undefined) // PGlite: one connection, no COPY
  return seeded as SeededCustomer[]
}
