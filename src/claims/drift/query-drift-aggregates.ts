import { sql, type Kysely } from 'kysely'
import type { ClaimsDatabase, DriftGroupBy } from '../core/index.js'
import type { DriftGroupStats } from './drift-group-stats.js'
import type { DriftWindows } from './drift-windows.js'

interface AggregateRow {
  payer_name: string
  cpt_code: string | null
  b_adjudicated: number
  b_denied: number
  b_ratio_n: number
  b_ratio_mean: number | null
  b_ratio_variance: number | null
  c_adjudicated: number
  c_denied: number
  c_ratio_n: number
  c_ratio_mean: number | null
  c_ratio_variance: number | null
}

/**
 * Where {@link queryDriftAggregates} reads: the tenant, its schema and the run's windows.
 *
 * @example
 * ```ts
 * const scope: DriftAggregateScope = {
 *   schema: upstream.schema,
 *   customerId: 7,
 *   windows: driftWindows({ as_of: '2026-06-01', baseline_days: 90, current_days: 30 }),
 *   groupBy: 'payer',
 * }
 * ```
 */
export interface DriftAggregateScope {
  /** The PostgreSQL schema of `claim_records`. */
  readonly schema: string
  /** The tenant. */
  readonly customerId: number
  /** The windows. */
  readonly windows: DriftWindows
  /** `payer` or `payer_cpt`. */
  readonly groupBy: DriftGroupBy
}

/**
 * The ONE aggregate statement of a drift run: per group, the counts, means and sample
 * variances of both windows, computed in PostgreSQL over the tenant's adjudicated claims
 * with `service_date` in `[baseline_start, as_of)`. Being one statement, it reads one
 * snapshot even under read committed: the windows and groups can never disagree about
 * which uploads had committed. Memory in JavaScript grows with the number of groups, never
 * with the number of claims.
 *
 * ```sql
 * select payer_name, null::text as cpt_code,             -- or cpt_code, grouping by payer_cpt
 *   count(*) filter (where not cur)::int as b_adjudicated,
 *   count(*) filter (where not cur and denied)::int as b_denied,
 *   count(ratio) filter (where not cur)::int as b_ratio_n,
 *   avg(ratio) filter (where not cur) as b_ratio_mean,
 *   var_samp(ratio) filter (where not cur) as b_ratio_variance,
 *   ... the same with cur for the current window
 * from (select payer_name, cpt_code, service_date >= $current_start as cur, status = 'denied' as denied,
 *         case when status <> 'denied' and billed_amount > 0
 *              then paid_amount::float8 / billed_amount::float8 end as ratio
 *       from claim_records
 *       where customer_id = $1 and service_date >= $baseline_start and service_date < $as_of
 *         and status in ('paid', 'denied', 'adjusted')) c
 * group by payer_name -- , cpt_code
 * order by 1, 2
 * ```
 *
 * @param db - a tenant transaction's Kysely (row-level security applies on top of the filter)
 *
 * @example
 * ```ts
 * const groups = await claimsTenant(upstream, 7).read(({ db }) =>
 *   queryDriftAggregates(db, { schema: upstream.schema, customerId: 7, windows, groupBy: 'payer' }))
 * ```
 */
export async function queryDriftAggregates(db: Kysely<ClaimsDatabase>, scope: DriftAggregateScope): Promise<DriftGroupStats[]> {
  const { windows } = scope
  const byCpt = scope.groupBy === 'payer_cpt'
  const cpt = byCpt ? sql`cpt_code` : sql`null::text`
  const groupBy = byCpt ? sql`payer_name, cpt_code` : sql`payer_name`
  const window = (prefix: string, condition: ReturnType<typeof sql.raw>) => sql.join(
    [
      sql`count(*) filter (where ${condition})::int as ${sql.raw(prefix)}_adjudicated`,
      sql`count(*) filter (where ${condition} and denied)::int as ${sql.raw(prefix)}_denied`,
      sql`count(ratio) filter (where ${condition})::int as ${sql.raw(prefix)}_ratio_n`,
      sql`avg(ratio) filter (where ${condition}) as ${sql.raw(prefix)}_ratio_mean`,
      sql`var_samp(ratio) filter (where ${condition}) as ${sql.raw(prefix)}_ratio_variance`,
    ],
  )
  const result = await sql<AggregateRow>`
    select payer_name, ${cpt} as cpt_code,
      ${window('b', sql.raw('not cur'))},
      ${window('c', sql.raw('cur'))}
    from (
      select payer_name, cpt_code,
        service_date >= ${windows.current_start}::date as cur,
        status = 'denied' as denied,
        case when status <> 'denied' and billed_amount > 0
             then paid_amount::float8 / billed_amount::float8 end as ratio
      from ${sql.id(scope.schema, 'claim_records')}
      where customer_id = ${scope.customerId}
        and service_date >= ${windows.baseline_start}::date
        and service_date < ${windows.current_end}::date
        and status in ('paid', 'denied', 'adjusted')
    ) c
    group by ${groupBy}
    order by 1, 2`.execute(db)
  return result.rows.map((r) => ({
    payer_name: r.payer_name,
    cpt_code: r.cpt_code,
    baseline: { adjudicated: Number(r.b_adjudicated), denied: Number(r.b_denied), ratio_n: Number(r.b_ratio_n), ratio_mean: num(r.b_ratio_mean), ratio_variance: num(r.b_ratio_variance) },
    current: { adjudicated: Number(r.c_adjudicated), denied: Number(r.c_denied), ratio_n: Number(r.c_ratio_n), ratio_mean: num(r.c_ratio_mean), ratio_variance: num(r.c_ratio_variance) },
  }))
}

function num(value: number | string | null): number | null {
  return value === null ? null : Number(value)
}
