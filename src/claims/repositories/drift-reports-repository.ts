import type { Kysely } from 'kysely'
import type { ClaimsDatabase, DriftEvent, DriftReport, DriftReportsTable, DriftEventsTable } from '../core/index.js'
import type { Insertable } from 'kysely'
import { NotFoundError } from '../../errors/index.js'
import { refuseCustomerId } from '../../tenancy/index.js'

/**
 * The parameters that identify a report (its unique key, less the tenant). The window
 * ends follow from them (`baseline_end = current_start`, `current_end = as_of`).
 *
 * @example
 * ```ts
 * const key: DriftReportKey = {
 *   as_of: '2026-06-01', baseline_start: '2026-02-01', current_start: '2026-05-02',
 *   group_by: 'payer', min_claims: 30, alpha: 0.05,
 * }
 * const existing = await claimsTenant(upstream, 7).read(({ driftReports }) => driftReports.findByKey(key))
 * ```
 */
export type DriftReportKey = Pick<DriftReport, 'as_of' | 'baseline_start' | 'current_start' | 'group_by' | 'min_claims' | 'alpha'>
/**
 * Fields of a new report (`customer_id` comes from the tenant scope; passing one throws
 * {@link errors!TenantScopeError}).
 *
 * @example
 * ```ts
 * const input: DriftReportInput = {
 *   as_of: '2026-06-01', baseline_start: '2026-02-01', baseline_end: '2026-05-02',
 *   current_start: '2026-05-02', current_end: '2026-06-01', group_by: 'payer', min_claims: 30, alpha: 0.05,
 *   groups_tested: 12, events_count: 0, duration_ms: 41.7,
 * }
 * const report = await claimsTenant(upstream, 7).transaction(({ driftReports }) => driftReports.create(input))
 * ```
 */
export type DriftReportInput = Omit<Insertable<DriftReportsTable>, 'customer_id'>
/**
 * Fields of a new event (`customer_id` comes from the tenant scope, the report id from the
 * call). {@link analyzeDrift} returns its events in this shape.
 *
 * @example
 * ```ts
 * const event: DriftEventInput = {
 *   payer_name: 'Aetna', cpt_code: null, metric: 'denial_rate', baseline_value: 0.1, current_value: 0.3,
 *   delta: 0.2, baseline_n: 120, current_n: 110, p_value: 0.000134, adjusted_p_value: 0.000268, severity: 'high',
 * }
 * await claimsTenant(upstream, 7).transaction(({ driftReports }) => driftReports.insertEvents(report.id, [event]))
 * ```
 */
export type DriftEventInput = Omit<Insertable<DriftEventsTable>, 'customer_id' | 'report_id'>

/**
 * One tenant's drift reports and their events.
 *
 * @example
 * ```ts
 * const report = await claimsTenant(upstream, 7).read(({ driftReports }) => driftReports.findById(3))
 * ```
 */
export class DriftReportsRepository {
  readonly #db: Kysely<ClaimsDatabase>
  readonly #customerId: number

  constructor(db: Kysely<ClaimsDatabase>, customerId: number) {
    this.#db = db
    this.#customerId = customerId
  }

  /** The report, or `undefined`. */
  async findById(id: number): Promise<DriftReport | undefined> {
    return this.#db
      .selectFrom('drift_reports')
      .selectAll()
      .where('customer_id', '=', this.#customerId)
      .where('id', '=', id)
      .executeTakeFirst()
  }

  /** The report, or a {@link errors!NotFoundError}. */
  async getById(id: number): Promise<DriftReport> {
    const row = await this.findById(id)
    if (!row) throw new NotFoundError('drift_reports', id)
    return row
  }

  /** The report with these parameters, if one exists. */
  async findByKey(key: DriftReportKey): Promise<DriftReport | undefined> {
    return this.#db
      .selectFrom('drift_reports')
      .selectAll()
      .where('customer_id', '=', this.#customerId)
      .where('as_of', '=', key.as_of)
      .where('baseline_start', '=', key.baseline_start)
      .where('current_start', '=', key.current_start)
      .where('group_by', '=', key.group_by)
      .where('min_claims', '=', key.min_claims)
      .where('alpha', '=', key.alpha)
      .executeTakeFirst()
  }

  /** Inserts a report. A second one with the same parameters fails with `UniqueViolationError`. */
  async create(values: DriftReportInput): Promise<DriftReport> {
    refuseCustomerId(values)
    return this.#db
      .insertInto('drift_reports')
      .values({ ...values, customer_id: this.#customerId })
      .returningAll()
      .executeTakeFirstOrThrow()
  }

  /** Deletes a report and (by cascade) its events. */
  async delete(id: number): Promise<boolean> {
    const r = await this.#db
      .deleteFrom('drift_reports')
      .where('customer_id', '=', this.#customerId)
      .where('id', '=', id)
      .executeTakeFirst()
    return r.numDeletedRows > 0n
  }

  /** Inserts the events of a report in one statement. */
  async insertEvents(reportId: number, events: readonly DriftEventInput[]): Promise<DriftEvent[]> {
    if (events.length === 0) return []
    events.forEach(refuseCustomerId)
    return this.#db
      .insertInto('drift_events')
      .values(events.map((e) => ({ ...e, customer_id: this.#customerId, report_id: reportId })))
      .returningAll()
      .execute()
  }

  /** A report's events, by id. */
  async events(reportId: number): Promise<DriftEvent[]> {
    return this.#db
      .selectFrom('drift_events')
      .selectAll()
      .where('customer_id', '=', this.#customerId)
      .where('report_id', '=', reportId)
      .orderBy('id')
      .execute()
  }
}
