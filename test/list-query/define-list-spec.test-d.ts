import type { Kysely } from 'kysely'
import { describe, expectTypeOf, it } from 'vitest'
import type { ClaimRecord, ClaimsDatabase } from '../../src/claims/core/database.js'
import { defineListSpec } from '../../src/list-query/define-list-spec.js'
import { filter } from '../../src/list-query/filter-field.js'
import type { ListQuery } from '../../src/list-query/list-query.js'
import type { ListSpec } from '../../src/list-query/list-spec.js'
import { claimsListSpec } from '../../src/claims/lists/claims-list-spec.js'

interface AppDatabase {
  orders: { id: number; placed_at: Date; total: string; state: 'open' | 'shipped'; reference: string }
}
declare const appDb: Kysely<AppDatabase>

describe('list specs are checked by the compiler', () => {
  it('infers the row type and the filter and ordering names', () => {
    const spec = defineListSpec({
      name: 'orders',
      query: (db: Kysely<AppDatabase>) => db.selectFrom('orders').select(['id', 'total']),
      filters: { state: filter.enum('state', ['open', 'shipped']), min_total: filter.decimal('total', { as: 'gte', lookups: [] }) },
      search: ['reference', '^reference'],
      ordering: { fields: { placed_at: 'placed_at', total: 'total' }, default: ['-placed_at'] },
    })
    expectTypeOf(spec).toExtend<ListSpec<AppDatabase, 'orders', { id: number; total: string }>>()
    expectTypeOf(spec.parse({})).toEqualTypeOf<ListQuery<'state' | 'min_total', 'placed_at' | 'total'>>()
    expectTypeOf(spec.query(appDb).execute()).resolves.toEqualTypeOf<{ id: number; total: string }[]>()
    expectTypeOf(claimsListSpec.query).returns.toHaveProperty('execute')
    expectTypeOf<Awaited<ReturnType<ReturnType<typeof claimsListSpec.query>['execute']>>[number]>().toEqualTypeOf<ClaimRecord>()
  })

  it('refuses a misspelled filter column', () => {
    defineListSpec({
      name: 'orders',
      query: (db: Kysely<AppDatabase>) => db.selectFrom('orders').selectAll(),
      // @ts-expect-error 'stat' is not a column of orders
      filters: { state: filter.enum('stat', ['open']) },
      ordering: { fields: { total: 'total' }, default: ['total'] },
    })
  })

  it('refuses a misspelled search field', () => {
    defineListSpec({
      name: 'orders',
      query: (db: Kysely<AppDatabase>) => db.selectFrom('orders').selectAll(),
      // @ts-expect-error 'refrence' is not a column of orders
      search: ['refrence'],
      ordering: { fields: { total: 'total' }, default: ['total'] },
    })
  })

  it('refuses a misspelled ordering column and a default term that is not an ordering field', () => {
    defineListSpec({
      name: 'orders',
      query: (db: Kysely<AppDatabase>) => db.selectFrom('orders').selectAll(),
      // @ts-expect-error 'totl' is not a column of orders
      ordering: { fields: { total: 'totl' }, default: ['total'] },
    })
    defineListSpec({
      name: 'orders',
      query: (db: Kysely<AppDatabase>) => db.selectFrom('orders').selectAll(),
      // @ts-expect-error '-placed' is not an ordering term of this list
      ordering: { fields: { total: 'total' }, default: ['-placed'] },
    })
  })

  it('refuses a misspelled column in the library\'s own tables too', () => {
    defineListSpec({
      name: 'claims',
      query: (db: Kysely<ClaimsDatabase>) => db.selectFrom('claim_records').selectAll(),
      // @ts-expect-error 'payer' is not a column of claim_records
      filters: { payer: filter.text('payer') },
      ordering: { fields: { service_date: 'service_date' }, default: ['-service_date'] },
    })
  })
})
