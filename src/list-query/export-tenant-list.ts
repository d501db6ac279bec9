import { sql, type Kysely, type SelectQueryBuilder } from 'kysely'
import { assertIdentifier } from '../db/index.js'
// types only: a tenancy-only app loads no list machinery
import type { TenantContext, TenantScope } from '../tenancy/index.js'
import { exportList } from './export-list.js'
import type { ListParams, ListQuery } from './list-query.js'
import type { ListSpec } from './list-spec.js'

/**
 * Options of {@link exportTenantList}.
 *
 * @example
 * ```ts
 * const options: TenantExportOptions = { batchSize: 2000, signal: controller.signal }
 * ```
 */
export interface TenantExportOptions {
  /** Rows per batch, each batch one short read-only transaction. Default 1000. */
  readonly batchSize?: number
  /** Stops the export before its next batch once aborted. */
  readonly signal?: AbortSignal
  /** `statement_timeout` of each batch's read transaction, in milliseconds. */
  readonly statementTimeoutMs?: number
  /** The tenant column of the list's table. Default `customer_id`. */
  readonly tenantColumn?: string
}

/**
 * Every row of a tenant's list, for a streaming export (CSV, NDJSON): the list's filters,
 * search and ordering, unpaginated, in keyset batches of `batchSize` rows, each batch in its
 * own short read-only transaction of the tenant (row-level security on), with the tenant
 * condition and the optional extra conditions of {@link runTenantList}. Parses the raw
 * parameters at once (a `ValidationError` for bad input or any paging parameter, thrown here
 * and not while iterating); the batches run as they are iterated.
 *
 * @example
 * ```ts
 * for await (const rows of exportTenantList(forTenant(upstream, 7), tasksSpec, req.query, { batchSize: 500 })) {
 *   for (const row of rows) out.write(JSON.stringify(presentTask(row)) + '\n')
 * }
 * ```
 */
export function exportTenantList<DB, C extends TenantContext<DB>, TB extends keyof DB, O>(
  tenant: TenantScope<DB, C>,
  spec: ListSpec<DB, TB, O, string, string>,
  query: ListQuery | ListParams,
  options: TenantExportOptions = {},
  extra?: {
    /** Names the extra conditions (as in `runTenantList`; unused by exports, kept for symmetry). */
    readonly key: string
    readonly apply: (qb: SelectQueryBuilder<DB, TB, O>) => SelectQueryBuilder<DB, TB, O>
  },
): AsyncIterable<O[]> {
  const tenantColumn = assertIdentifier(options.tenantColumn ?? 'customer_id', 'tenantColumn')
  const id = tenant.customerId
  const readOptions = options.statementTimeoutMs === undefined ? {} : { statementTimeoutMs: options.statementTimeoutMs }
  const read = <T>(work: (db: Kysely<DB>) => Promise<T>): Promise<T> => tenant.read(({ db }) => work(db), readOptions)
  return exportList(read, spec, query, {
    ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    scope: {
      apply: (qb) => {
        const scoped = qb.where(sql.ref(tenantColumn), '=', id)
        return extra ? extra.apply(scoped) : scoped
      },
    },
  })
}
