import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely'
import type { CoreDatabase, DateString, Numeric, Timestamp } from '../../db/index.js'

/**
 * Upload statuses, in the only order they may move: pending -> processing -> success | failed
 * (migration 0004 refuses any other change with a `CheckViolationError`).
 *
 * @example
 * ```ts
 * const isUploadStatus = (s: string): s is UploadStatus => (UPLOAD_STATUSES as readonly string[]).includes(s)
 * isUploadStatus('processing') // true
 * isUploadStatus('done') // false
 * ```
 */
export const UPLOAD_STATUSES = ['pending', 'processing', 'success', 'failed'] as const
/**
 * An upload's status: one of {@link UPLOAD_STATUSES}.
 *
 * @example
 * ```ts
 * const finished = (status: UploadStatus) => status === 'success' || status === 'failed'
 * ```
 */
export type UploadStatus = (typeof UPLOAD_STATUSES)[number]

/**
 * Claim statuses. Drift detection counts `paid`, `denied` and `adjusted` claims as
 * adjudicated; `submitted` ones are not yet decided and are left out.
 *
 * @example
 * ```ts
 * import { z } from 'zod'
 * const status = z.enum(CLAIM_STATUSES).parse('denied') // 'denied'
 * ```
 */
export const CLAIM_STATUSES = ['submitted', 'paid', 'denied', 'adjusted'] as const
/**
 * A claim's status: one of {@link CLAIM_STATUSES}.
 *
 * @example
 * ```ts
 * const denied = await claimsTenant(upstream, 7).read(({ db }) =>
 *   db.selectFrom('claim_records').select('id').where('status', '=', 'denied' satisfies ClaimStatus).execute(),
 * )
 * ```
 */
export type ClaimStatus = (typeof CLAIM_STATUSES)[number]

/**
 * Drift grouping: by payer, or by payer and CPT code.
 *
 * @example
 * ```ts
 * for (const group_by of DRIFT_GROUP_BYS) await detectDrift(claimsTenant(upstream, 7), { as_of: '2026-06-01', group_by })
 * ```
 */
export const DRIFT_GROUP_BYS = ['payer', 'payer_cpt'] as const
/**
 * How drift detection groups claims: one of {@link DRIFT_GROUP_BYS}.
 *
 * @example
 * ```ts
 * const groupBy: DriftGroupBy = 'payer_cpt' // one group per payer and CPT code
 * ```
 */
export type DriftGroupBy = (typeof DRIFT_GROUP_BYS)[number]

/**
 * Drift metrics: `denial_rate` (denied / adjudicated claims) and `paid_ratio` (mean of
 * paid / billed over paid and adjusted claims).
 *
 * @example
 * ```ts
 * const byMetric = Object.fromEntries(DRIFT_METRICS.map((m) => [m, events.filter((e) => e.metric === m)]))
 * ```
 */
export const DRIFT_METRICS = ['denial_rate', 'paid_ratio'] as const
/**
 * A drift metric: one of {@link DRIFT_METRICS}.
 *
 * @example
 * ```ts
 * const label = (metric: DriftMetric) => (metric === 'denial_rate' ? 'Denial rate' : 'Paid / billed')
 * ```
 */
export type DriftMetric = (typeof DRIFT_METRICS)[number]

/**
 * Drift event severities, from weakest to strongest (see {@link driftSeverity}).
 *
 * @example
 * ```ts
 * const rank = (s: DriftSeverity) => DRIFT_SEVERITIES.indexOf(s) // low 0, medium 1, high 2
 * const worstFirst = [...events].sort((a, b) => rank(b.severity) - rank(a.severity))
 * ```
 */
export const DRIFT_SEVERITIES = ['low', 'medium', 'high'] as const
/**
 * A drift event's severity: one of {@link DRIFT_SEVERITIES}.
 *
 * @example
 * ```ts
 * const page = (severity: DriftSeverity) => severity === 'high'
 * ```
 */
export type DriftSeverity = (typeof DRIFT_SEVERITIES)[number]

/**
 * `uploads`: one CSV file of claims and its processing state.
 *
 * @example
 * ```ts
 * const upload = await claimsTenant(upstream, 7).transaction(({ uploads }) => uploads.create({ filename: 'june.csv' }))
 * // { id: 12, customer_id: 7, filename: 'june.csv', status: 'pending', row_count: null, ... }
 * ```
 */
export interface UploadsTable {
  /** The tenant that owns the upload (set from the tenant scope). */
  customer_id: number
  /** The upload's id (`bigint` identity); the primary key is `(customer_id, id)`. */
  id: Generated<number>
  /** The file's name as the client gave it (`?filename=`); not unique. */
  filename: string
  /** Where processing stands; starts `pending` and moves only pending -> processing -> success | failed. */
  status: ColumnType<UploadStatus, UploadStatus | undefined, UploadStatus>
  /** How many claim rows landed (>= 0); `null` until the upload succeeded, and on a failed one. */
  row_count: number | null
  /** Why the upload failed; `null` unless its status is `failed`. */
  error_message: string | null
  /** When the upload was created (database default `now()`). */
  uploaded_at: ColumnType<Date, Date | string | undefined, Date | string>
  /** When processing began; `null` while `pending`. */
  processing_started_at: Timestamp | null
  /** When processing ended (success or failure); `null` until then, never before `processing_started_at`. */
  processing_completed_at: Timestamp | null
}

/**
 * `claim_records`: one healthcare claim line of an upload.
 *
 * @example
 * ```ts
 * const claims = await claimsTenant(upstream, 7).read(({ db }) =>
 *   db.selectFrom('claim_records').select(['claim_number', 'billed_amount']).where('upload_id', '=', 12).execute(),
 * )
 * // [{ claim_number: 'CLM-0001', billed_amount: '1234.50' }, ...]
 * ```
 */
export interface ClaimRecordsTable {
  /** The tenant that owns the claim (set from the tenant scope). */
  customer_id: number
  /** The claim's id (`bigint` identity); the primary key is `(customer_id, id)`. */
  id: Generated<number>
  /** The upload the claim came from; `(customer_id, upload_id)` refers to `uploads`, and deleting the upload deletes its claims. */
  upload_id: number
  /** The claim's number as the payer knows it; unique within one upload. */
  claim_number: string
  /** The payer (insurer), as written in the file. */
  payer_name: string
  /** The CPT (procedure) code of the claim line, as text (`'99213'`). */
  cpt_code: string
  /** The date of service, `YYYY-MM-DD`; the drift windows are on this date. */
  service_date: DateString
  /** The amount billed, in currency units with two decimals (`'1234.50'`), >= 0. */
  billed_amount: Numeric
  /** The amount the payer allowed (>= 0, exact string); `null` when the file left it empty. */
  allowed_amount: ColumnType<string | null, string | number | null, string | number | null>
  /** The amount paid (>= 0, exact string); `null` when the file left it empty (drift's paid ratio skips such claims). */
  paid_amount: ColumnType<string | null, string | number | null, string | number | null>
  /** The claim's status: submitted, paid, denied or adjusted. */
  status: ClaimStatus
  /** The payer's reason for a denial; `null` when none was given. */
  denial_reason: string | null
  /** When the row was inserted (database default `now()`); never updated. */
  created_at: ColumnType<Date, Date | string | undefined, never>
}

/**
 * `drift_reports`: one run of drift detection; unique per customer and parameters
 * (constraint {@link DRIFT_REPORT_PARAMETERS_KEY}). Windows are half-open: each start is
 * inclusive, each end exclusive, and `baseline_end = current_start`, `current_end = as_of`.
 *
 * @example
 * ```ts
 * const { report } = await detectDrift(claimsTenant(upstream, 7), { as_of: '2026-06-01' })
 * // { as_of: '2026-06-01', baseline_start: '2026-02-01', baseline_end: '2026-05-02',
 * //   current_start: '2026-05-02', current_end: '2026-06-01', group_by: 'payer', min_claims: 30,
 * //   alpha: 0.05, groups_tested: 12, events_count: 2, duration_ms: 41.7, ... }
 * ```
 */
export interface DriftReportsTable {
  /** The tenant that owns the report (set from the tenant scope). */
  customer_id: number
  /** The report's id (`bigint` identity); the primary key is `(customer_id, id)`. */
  id: Generated<number>
  /** The run's reference date, `YYYY-MM-DD`: the current window ends here (exclusive). */
  as_of: DateString
  /** First day of the baseline window (inclusive). */
  baseline_start: DateString
  /** End of the baseline window (exclusive); equals `current_start`. */
  baseline_end: DateString
  /** First day of the current window (inclusive). */
  current_start: DateString
  /** End of the current window (exclusive); equals `as_of`. */
  current_end: DateString
  /** How claims were grouped: `payer` or `payer_cpt`. */
  group_by: DriftGroupBy
  /** A group was tested only where both windows held at least this many adjudicated claims (>= 1). */
  min_claims: number
  /** The false discovery rate level of the run, in (0, 1), such as `0.05`. */
  alpha: number
  /** How many groups had enough claims in both windows to be tested. */
  groups_tested: number
  /** How many events the run stored (rows of `drift_events` with this `report_id`). */
  events_count: number
  /** When the report was computed (database default `now()`: its transaction's start). */
  computed_at: ColumnType<Date, Date | string | undefined, Date | string>
  /** How long the aggregate query and the analysis took, in milliseconds (fractional, >= 0). */
  duration_ms: number
}

/**
 * `drift_events`: one significant change of one metric for one group.
 *
 * @example
 * ```ts
 * const events = await claimsTenant(upstream, 7).read(({ driftReports }) => driftReports.events(3))
 * // [{ payer_name: 'Aetna', cpt_code: null, metric: 'denial_rate', baseline_value: 0.1,
 * //    current_value: 0.3, delta: 0.2, p_value: 4.1e-7, adjusted_p_value: 2.5e-6, severity: 'high', ... }]
 * ```
 */
export interface DriftEventsTable {
  /** The tenant that owns the event (set from the tenant scope). */
  customer_id: number
  /** The event's id (`bigint` identity); the primary key is `(customer_id, id)`. */
  id: Generated<number>
  /** The report the event belongs to; `(customer_id, report_id)` refers to `drift_reports`, and deleting the report deletes its events. */
  report_id: number
  /** The payer of the group. */
  payer_name: string
  /** The CPT code of the group; `null` when the report grouped by payer only. */
  cpt_code: string | null
  /** Which metric changed: `denial_rate` or `paid_ratio`. */
  metric: DriftMetric
  /** The metric in the baseline window: a rate in [0, 1] for `denial_rate`, a mean paid/billed ratio for `paid_ratio`. */
  baseline_value: number
  /** The metric in the current window, in the same unit. */
  current_value: number
  /** `current_value - baseline_value` (an absolute change, not a percentage); |delta| >= 0.02. */
  delta: number
  /** The baseline sample size: adjudicated claims (`denial_rate`) or claims with a paid ratio (`paid_ratio`). */
  baseline_n: number
  /** The current window's sample size, counted the same way. */
  current_n: number
  /** The test's raw two-sided p-value, in [0, 1]. */
  p_value: number
  /** The Benjamini–Hochberg adjusted p-value over every test of the run, in [0, 1]; below the report's `alpha`. */
  adjusted_p_value: number
  /** How strong the change is: `low`, `medium` or `high` (see {@link driftSeverity}). */
  severity: DriftSeverity
  /** When the event was stored (database default `now()`); never updated. */
  created_at: ColumnType<Date, Date | string | undefined, never>
}

/**
 * The Kysely schema of every table the migrations create.
 *
 * @example
 * ```ts
 * import { Kysely } from 'kysely'
 * import type { ClaimsDatabase } from '@upstreamjs/upstream/claims'
 * declare const db: Kysely<ClaimsDatabase>
 * const rows = await db.selectFrom('uploads').select(['id', 'status']).execute()
 * ```
 */
export interface ClaimsDatabase extends CoreDatabase {
  /** CSV uploads and their processing state. */
  uploads: UploadsTable
  /** Claim lines of the uploads. */
  claim_records: ClaimRecordsTable
  /** Drift detection runs. */
  drift_reports: DriftReportsTable
  /** Significant changes found by the runs. */
  drift_events: DriftEventsTable
}

/**
 * An upload row, as selected.
 *
 * @example
 * ```ts
 * const upload: Upload = await claimsTenant(upstream, 7).read(({ uploads }) => uploads.getById(12))
 * upload.status // 'success'
 * ```
 */
export type Upload = Selectable<UploadsTable>
/**
 * A new upload row, as inserted (generated and defaulted columns optional).
 *
 * @example
 * ```ts
 * const row: NewUpload = { customer_id: 7, filename: 'june.csv' } // status defaults to 'pending'
 * ```
 */
export type NewUpload = Insertable<UploadsTable>
/**
 * A change to an upload row (every column optional).
 *
 * @example
 * ```ts
 * const done: UploadUpdate = { status: 'success', row_count: 1000, processing_completed_at: new Date() }
 * ```
 */
export type UploadUpdate = Updateable<UploadsTable>
/**
 * A claim record row, as selected: amounts as exact strings, `service_date` as `YYYY-MM-DD`.
 *
 * @example
 * ```ts
 * const claim: ClaimRecord = await claimsTenant(upstream, 7).read(({ claims }) => claims.getById(42))
 * claim.paid_amount // '980.00' or null
 * ```
 */
export type ClaimRecord = Selectable<ClaimRecordsTable>
/**
 * A new claim record row, as inserted (amounts as strings or numbers).
 *
 * @example
 * ```ts
 * const row: NewClaimRecord = {
 *   customer_id: 7, upload_id: 12, claim_number: 'CLM-0001', payer_name: 'Aetna', cpt_code: '99213',
 *   service_date: '2026-05-14', billed_amount: '150.00', allowed_amount: null, paid_amount: null,
 *   status: 'submitted', denial_reason: null,
 * }
 * ```
 */
export type NewClaimRecord = Insertable<ClaimRecordsTable>
/**
 * A drift report row, as selected.
 *
 * @example
 * ```ts
 * const report: DriftReport = await claimsTenant(upstream, 7).read(({ driftReports }) => driftReports.getById(3))
 * report.events_count // 2
 * ```
 */
export type DriftReport = Selectable<DriftReportsTable>
/**
 * A drift event row, as selected.
 *
 * @example
 * ```ts
 * const events: DriftEvent[] = await claimsTenant(upstream, 7).read(({ driftReports }) => driftReports.events(3))
 * events.filter((e) => e.severity === 'high')
 * ```
 */
export type DriftEvent = Selectable<DriftEventsTable>
