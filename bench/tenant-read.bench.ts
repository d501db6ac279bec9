/**
 * The cost of a tenant read: `claimsTenant(...).read` (a short read-only transaction that
 * sets the tenant and the runtime role, so row-level security applies) next to the same
 * query run bare on the pool (owner connection, no transaction, no settings).
 */
import { sql, type Kysely } from 'kysely'
import type { ClaimsDatabase } from '../src/claims/core/database.js'
import { TENANT_SETTING } from '../src/tenancy/tenant-setting.js'
import type { BenchContext } from './support/bench-context.js'
import type { Measurement } from './support/measure.js'
import { measureInterleaved } from './support/measure-interleaved.js'
import { claimsTenant } from '../src/claims/index.js'

/** The tenant read as the library did it before the one-round-trip start: BEGIN, set_config, query, COMMIT (4 round trips). */
async function fourRoundTrips<T>(db: Kysely<ClaimsDatabase>, customerId: number, role: string, work: (trx: Kysely<ClaimsDatabase>) => Promise<T>): Promise<T> {
  return db.connection().execute(async (conn) => {
    await sql`start transaction isolation level read committed read only`.execute(conn)
    try {
      await sql`select set_config(${TENANT_SETTING}, ${String(customerId)}, true), set_config('role', ${role}, true)`.execute(conn)
      const result = await work(conn)
      await sql`commit`.execute(conn)
      return result
    } catch (error) {
      await sql`rollback`.execute(conn)
      throw error
    }
  })
}

export default async function tenantRead(ctx: BenchContext): Promise<void> {
  const { db } = ctx.upstream
  const customer = ctx.customers[0]
  if (!customer) throw new Error('no bench customers')
  const customerId = customer.customer_id
  const tenant = claimsTenant(ctx.upstream, customerId)
  const upload = await db.selectFrom('uploads').select('id').where('customer_id', '=', customerId).orderBy('id').executeTakeFirstOrThrow()
  const from = '2026-03-01'
  const options = { rounds: 15, runsPerRound: 20, warmup: 30 }

  const byId = (q: Kysely<ClaimsDatabase>) =>
    q.selectFrom('uploads').selectAll().where('customer_id', '=', customerId).where('id', '=', upload.id).executeTakeFirstOrThrow()
  const [uploadPlain, uploadOld, uploadTenant] = (await measureInterleaved({
    'upload by id: bare query': () => byId(db),
    'upload by id: 4 round trips (before)': () => fourRoundTrips(db, customerId, ctx.upstream.runtimeRole, byId),
    'upload by id: claimsTenant.read': () => tenant.read(({ uploads }) => uploads.getById(upload.id)),
  }, options)) as [Measurement, Measurement, Measurement]
  ctx.report([uploadPlain, uploadOld, uploadTenant], uploadPlain.name)

  const page = (q: Kysely<ClaimsDatabase>) =>
    q
      .selectFrom('claim_records')
      .selectAll()
      .where('customer_id', '=', customerId)
      .where('service_date', '>=', from)
      .orderBy('service_date')
      .orderBy('id')
      .limit(50)
      .execute()
  const [claimsPlain, claimsOld, claimsRead] = (await measureInterleaved({
    '50 claims by date: bare query': () => page(db),
    '50 claims by date: 4 round trips (before)': () => fourRoundTrips(db, customerId, ctx.upstream.runtimeRole, page),
    '50 claims by date: claimsTenant.read': () => tenant.read(({ db: trx }) => page(trx)),
  }, options)) as [Measurement, Measurement, Measurement]
  ctx.report([claimsPlain, claimsOld, claimsRead], claimsPlain.name)
  console.log(
    `tenant read overhead over the bare query (median): upload ${(uploadTenant.median - uploadPlain.median).toFixed(3)} ms (before: ${(uploadOld.median - uploadPlain.median).toFixed(3)} ms), ` +
      `claims page ${(claimsRead.median - claimsPlain.median).toFixed(3)} ms (before: ${(claimsOld.median - claimsPlain.median).toFixed(3)} ms)`,
  )
}
