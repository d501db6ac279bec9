/**
 * The cost of a tenant read: `forTenant(...).read` (a short read-only transaction that
 * sets the tenant and the runtime role, so row-level security applies) next to the same
 * query run bare on the pool (owner connection, no transaction, no settings).
 */
import type { BenchContext } from './support/bench-context.js'
import { forTenant } from '../src/tenancy/for-tenant.js'

export default async function tenantRead(ctx: BenchContext): Promise<void> {
  const { db } = ctx.upstream
  const customer = ctx.customers[0]
  if (!customer) throw new Error('no bench customers')
  const customerId = customer.customer_id
  const tenant = forTenant(ctx.upstream, customerId)
  const upload = await db.selectFrom('uploads').select('id').where('customer_id', '=', customerId).orderBy('id').executeTakeFirstOrThrow()
  const from = '2026-03-01'
  const options = { runs: 300, warmup: 30 }

  const uploadPlain = await ctx.measure('upload by id: bare query', () =>
    db.selectFrom('uploads').selectAll().where('customer_id', '=', customerId).where('id', '=', upload.id).executeTakeFirstOrThrow(),
  options)
  const uploadTenant = await ctx.measure('upload by id: forTenant.read', () => tenant.read(({ uploads }) => uploads.getById(upload.id)), options)
  ctx.report([uploadPlain, uploadTenant], uploadPlain.name)

  const page = (q: typeof db) =>
    q
      .selectFrom('claim_records')
      .selectAll()
      .where('customer_id', '=', customerId)
      .where('service_date', '>=', from)
      .orderBy('service_date')
      .orderBy('id')
      .limit(50)
      .execute()
  const claimsPlain = await ctx.measure('50 claims by date: bare query', () => page(db), options)
  const claimsTenant = await ctx.measure('50 claims by date: forTenant.read', () => tenant.read(({ db: trx }) => page(trx)), options)
  ctx.report([claimsPlain, claimsTenant], claimsPlain.name)
  console.log(
    `tenant read overhead: ${(uploadTenant.median - uploadPlain.median).toFixed(3)} ms per read (upload), ${(claimsTenant.median - claimsPlain.median).toFixed(3)} ms (claims page)`,
  )
}
