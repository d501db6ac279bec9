import type { ParsedQs } from 'qs'
import type { Request } from 'express'
import type { Context } from 'koa'
import type { Kysely, Transaction } from 'kysely'
import { describe, expectTypeOf, it } from 'vitest'
import type { CoreDatabase, Id, UpstreamDatabase } from '../../src/db/index.js'
import { defineListSpec, filter, runList, runTenantList, type ListPage } from '../../src/list-query/index.js'
import { listClaims, type ClaimsTenantScope } from '../../src/claims/index.js'
import { forTenant } from '../../src/tenancy/index.js'

interface ProductsTable {
  customer_id: number
  id: Id
  name: string
  price: string
  created_at: Date
}
interface AppDatabase extends CoreDatabase {
  products: ProductsTable
}
declare const upstream: UpstreamDatabase<AppDatabase>
declare const req: Request
declare const ctx: Context
declare const trx: Transaction<AppDatabase>
declare const kysely: Kysely<AppDatabase>
declare const claimsScope: ClaimsTenantScope
const url = 'http://localhost/products/'

const productsSpec = defineListSpec({
  name: 'products',
  query: (db: Kysely<AppDatabase>) => db.selectFrom('products').select(['id', 'name', 'price']),
  filters: { name: filter.text('name', { lookups: ['icontains'] }) },
  search: ['name'],
  ordering: { fields: { name: 'name', created_at: 'created_at' }, default: ['-created_at'] },
  pagination: { styles: ['cursor', 'page-number'] },
})
type Row = { id: number; name: string; price: string }

describe('an app table through the tenant scope and runList', () => {
  it('runs on the tenant scope\'s db with Express 5\'s req.query, no cast', () => {
    const page = forTenant(upstream, 7).read(({ db }) => runList(db, productsSpec, req.query, { url }))
    expectTypeOf(page).resolves.toEqualTypeOf<ListPage<Row>>()
  })
  it('runs on a Transaction and on a Kysely', () => {
    expectTypeOf(runList(trx, productsSpec, new URLSearchParams('name=x'), { url })).resolves.toEqualTypeOf<ListPage<Row>>()
    expectTypeOf(runList(kysely, productsSpec, productsSpec.parse({}), { url })).resolves.toEqualTypeOf<ListPage<Row>>()
    kysely.transaction().execute((t) => runList(t, productsSpec, {}, { url }))
  })
  it('takes Koa\'s ctx.query and ParsedQs', () => {
    runList(kysely, productsSpec, ctx.query, { url })
    const q: ParsedQs = { name: 'x', nested: { a: 'b' } }
    runList(kysely, productsSpec, q, { url })
    productsSpec.parse(req.query)
    productsSpec.parse(ctx.query)
  })
  it('runTenantList and the claims lists take the same raw parameters', () => {
    expectTypeOf(runTenantList(forTenant(upstream, 7), productsSpec, req.query, { url })).resolves.toEqualTypeOf<ListPage<Row>>()
    runTenantList(forTenant(upstream, 7), productsSpec, ctx.query, { url }, { key: 'cheap', apply: (qb) => qb.where('price', '<', '10') })
    // @ts-expect-error 'cost' is not a column of products
    runTenantList(forTenant(upstream, 7), productsSpec, ctx.query, { url }, { key: 'cheap', apply: (qb) => qb.where('cost', '<', '10') })
    listClaims(claimsScope, req.query, { url })
    listClaims(claimsScope, ctx.query, { url })
  })
  it('scope.apply takes typed column references', () => {
    runList(kysely, productsSpec, req.query, { url, scope: { key: 'tenant:7', apply: (qb) => qb.where('customer_id', '=', 7) } })
    // @ts-expect-error 'tenant_id' is not a column of products
    runList(kysely, productsSpec, req.query, { url, scope: { key: 'tenant:7', apply: (qb) => qb.where('tenant_id', '=', 7) } })
  })
  it('refuses a spec of another database', () => {
    interface Other { orders: { id: number } }
    const ordersSpec = defineListSpec({ name: 'orders', query: (db: Kysely<Other>) => db.selectFrom('orders').selectAll(), ordering: { fields: { id: 'id' }, default: ['id'] } })
    // @ts-expect-error the spec reads another database
    runList(kysely, ordersSpec, {}, { url })
  })
})
