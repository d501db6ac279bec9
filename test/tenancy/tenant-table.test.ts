import { sql, type Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  coreMigrations, createCustomer, createDatabase, defineListSpec, defineMigrationSet, filter, forTenant, migrateToLatest, MigrationFailedError, runList,
  tenantTable, TenantTableError, type CoreDatabase, type Id, type UpstreamDatabase,
} from '../support/upstream.js'
import { assertTenantIsolation } from '../../src/testing/index.js'
import { testDatabaseUrl, uniqueSchemaName } from '../support/test-database.js'

interface ProductsTable {
  tenant_id: number
  id: Id
  name: string
}
interface ShopDatabase extends CoreDatabase {
  products: ProductsTable
}

const shop = defineMigrationSet({
  name: 'shop',
  requires: [coreMigrations],
  migrations: (ctx) => ({
    '0001-products': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('products')
          .addColumn('tenant_id', 'bigint', (c) => c.notNull().references('customers.id').onDelete('cascade'))
          .addColumn('id', 'bigint', (c) => c.generatedAlwaysAsIdentity())
          .addColumn('name', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('products_pkey', ['tenant_id', 'id'])
          .execute()
        await tenantTable(db, 'products', { ...ctx, tenantColumn: 'tenant_id' })
      },
    },
  }),
})

const productsSpec = defineListSpec({
  name: 'products',
  query: (db: Kysely<ShopDatabase>) => db.selectFrom('products').select(['id', 'name']),
  filters: { name: filter.text('name', { lookups: ['exact', 'icontains'] }) },
  search: ['name'],
  ordering: { fields: { name: 'name', id: 'id' }, default: ['id'] },
  pagination: { styles: ['page-number', 'cursor'] },
})

let upstream: UpstreamDatabase<ShopDatabase>

beforeAll(async () => {
  upstream = await createDatabase<ShopDatabase>({ connectionString: testDatabaseUrl(), schema: uniqueSchemaName('shop') })
})
afterAll(async () => {
  if (!upstream) return
  await sql`drop schema if exists ${sql.id(upstream.schema)} cascade`.execute(upstream.db)
  await upstream.destroy()
})

describe('an app of its own: the core, its own set, its own tenant table', () => {
  it('migrates the core alone (no claims tables), then its own set', async () => {
    expect(await migrateToLatest(upstream)).toEqual(['core/0001-tenants-and-api-keys', 'core/0002-data-versions', 'core/0003-tenant-data-version-trigger', 'core/0004-distributed-count-estimate', 'core/0005-cached-key-lookup'])
    const claims = await sql<{ t: string | null }>`select to_regclass(${`${upstream.schema}.uploads`})::text as t`.execute(upstream.db)
    expect(claims.rows[0]?.t).toBeNull()
    expect(await migrateToLatest(upstream, { sets: [shop] })).toEqual(['shop/0001-products'])
    expect(await migrateToLatest(upstream, { sets: [shop] })).toEqual([])
  })

  it('reads and lists the app table under the tenant, bumps the tenant\'s data version, and passes the isolation checker', async () => {
    const a = await createCustomer(upstream, 'Shop A')
    const b = await createCustomer(upstream, 'Shop B')
    for (const [tenant, names] of [[a.id, ['apple', 'pear', 'apricot']], [b.id, ['plum']]] as const) {
      await forTenant(upstream, tenant).transaction(({ db, customerId }) => db.insertInto('products').values(names.map((name) => ({ tenant_id: customerId, name }))).execute())
    }
    // Express 5's req.query for ?search=ap&name[foo]=x (qs nests the bracketed name; no list knows it)
    const query = { search: 'ap', name: { foo: 'x' } }
    const page = await forTenant(upstream, a.id).read(({ db }) => runList(db, productsSpec, query, { url: 'http://localhost/products/' }))
    expect(page.results.map((r) => r.name)).toEqual(['apple', 'apricot'])
    const other = await forTenant(upstream, b.id).read(({ db }) => runList(db, productsSpec, new URLSearchParams('search=ap'), { url: 'http://localhost/products/' }))
    expect(other.results).toEqual([])
    const scoped = await forTenant(upstream, a.id).read(({ db }) =>
      runList(db, productsSpec, {}, { url: 'http://localhost/products/', scope: { key: `tenant:${a.id}`, apply: (qb) => qb.where('name', '=', 'pear') } }),
    )
    expect(scoped.results.map((r) => r.name)).toEqual(['pear'])

    const version = (id: number) =>
      forTenant(upstream, id).read(async ({ db }) => Number((await sql<{ v: string }>`select version::text as v from ${sql.id(upstream.schema, 'data_versions')}`.execute(db)).rows[0]?.v ?? 0))
    const before = await version(a.id)
    expect(before).toBeGreaterThan(0)
    await forTenant(upstream, a.id).transaction(({ db }) => db.updateTable('products').set({ name: 'green apple' }).where('name', '=', 'apple').execute())
    expect(await version(a.id)).toBe(before + 1)

    await assertTenantIsolation(upstream, [
      { table: 'products', tenantColumn: 'tenant_id', sample: (db, id) => db.insertInto('products').values({ tenant_id: id, name: 'probe' }).execute() },
    ])
  })

  it('refuses a table outside the library\'s schema, naming it', async () => {
    await sql`create table if not exists public.i8b_stray_products (customer_id bigint not null, id bigint)`.execute(upstream.db)
    try {
      const stray = defineMigrationSet({
        name: 'stray',
        requires: [coreMigrations],
        migrations: (ctx) => ({ '0001-stray': { up: (db: Kysely<unknown>) => tenantTable(db, 'i8b_stray_products', ctx) } }),
      })
      const error = await migrateToLatest(upstream, { sets: [stray] }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(MigrationFailedError)
      expect((error as MigrationFailedError).migration).toBe('stray/0001-stray')
      const cause = (error as Error).cause
      expect(cause).toBeInstanceOf(TenantTableError)
      expect((cause as Error).message).toBe(
        `Table i8b_stray_products is not in schema ${upstream.schema} (it is in public): create an app's tenant tables in the library's schema, where tenant scopes look them up (the db a migration set's migrations get resolves table names there).`,
      )
    } finally {
      await sql`drop table if exists public.i8b_stray_products`.execute(upstream.db)
    }
  })

  it('refuses a nullable or non-bigint tenant column', async () => {
    const s = sql.id(upstream.schema)
    await sql`create table ${s}.loose (customer_id bigint, id bigint)`.execute(upstream.db)
    await sql`create table ${s}.texty (customer_id text not null, id bigint)`.execute(upstream.db)
    const ctx = { schema: upstream.schema, runtimeRole: upstream.runtimeRole }
    await expect(tenantTable(upstream.db, 'loose', ctx)).rejects.toThrow(`Tenant column ${upstream.schema}.loose.customer_id is nullable`)
    await expect(tenantTable(upstream.db, 'texty', ctx)).rejects.toThrow(`Tenant column ${upstream.schema}.texty.customer_id is text: it must be bigint`)
    await expect(tenantTable(upstream.db, 'texty', { ...ctx, tenantColumn: 'owner_id' })).rejects.toThrow(`has no tenant column owner_id`)
  })
})
