import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../support/test-database.js'

// count_estimate on a Citus coordinator (docs/citus.md): the top node of a distributed plan is
// Citus's Custom Scan, whose "Plan Rows" is a placeholder; the estimate is in the task's
// "Remote Plan". The document below has the shape of a Citus EXPLAIN (FORMAT JSON) of a router
// query (one task); Citus cannot be installed here, so it is written by hand, not captured.
const citusRouterPlan = [
  {
    Plan: {
      'Node Type': 'Custom Scan',
      'Custom Plan Provider': 'Citus Adaptive',
      'Plan Rows': 100000,
      'Distributed Query': {
        Job: {
          'Task Count': 1,
          'Tasks Shown': 'All',
          Tasks: [{ Node: 'host=worker-2 port=5432 dbname=claims', 'Remote Plan': [[{ Plan: { 'Node Type': 'Index Only Scan', 'Plan Rows': 734512 } }]] }],
        },
      },
    },
  },
]
const citusFanOutPlan = structuredClone(citusRouterPlan)
citusFanOutPlan[0]!.Plan['Distributed Query'].Job['Task Count'] = 32
citusFanOutPlan[0]!.Plan['Distributed Query'].Job['Tasks Shown'] = 'One of 32'

let upstream: TestDatabase
beforeAll(async () => {
  upstream = await createTestDatabase()
})
afterAll(async () => {
  await upstream?.destroy()
})

const estimate = async (plan: unknown) =>
  Number((await sql<{ n: string }>`select ${sql.id(upstream.schema, 'plan_row_estimate')}(${JSON.stringify(plan)}::jsonb) as n`.execute(upstream.db)).rows[0]?.n)

describe('plan_row_estimate (core migration 0004)', () => {
  it('reads the top node on PostgreSQL, as count_estimate did', async () => {
    const plan = (await sql.raw<{ 'QUERY PLAN': unknown }>(`explain (format json) select * from generate_series(1, 5000)`).execute(upstream.db)).rows[0]?.['QUERY PLAN']
    expect(await estimate(plan)).toBe(5000)
    expect(await estimate([{ Plan: { 'Node Type': 'Seq Scan', 'Plan Rows': 1200 } }])).toBe(1200)
  })

  it("reads a Citus coordinator's remote plan, not its Custom Scan placeholder", async () => {
    expect(await estimate(citusRouterPlan)).toBe(734512)
    expect(await estimate(citusFanOutPlan)).toBe(734512 * 32)
  })

  it('count_estimate still estimates above the threshold', async () => {
    const r = await sql<{ c: { count: number; estimated: boolean } }>`select ${sql.id(upstream.schema, 'count_estimate')}('select * from generate_series(1, 5000)', 10) as c`.execute(upstream.db)
    expect(r.rows[0]?.c).toEqual({ count: 5000, estimated: true })
    const exact = await sql<{ c: { count: number; estimated: boolean } }>`select ${sql.id(upstream.schema, 'count_estimate')}('select * from generate_series(1, 7)', 10) as c`.execute(upstream.db)
    expect(exact.rows[0]?.c).toEqual({ count: 7, estimated: false })
  })
})
