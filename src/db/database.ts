import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely'

/**
 * A `timestamptz` column: read as a `Date`, written as a `Date` or an ISO string.
 */
export type Timestamp = ColumnType<Date, Date | string, Date | string>

/**
 * A `date` column. The connection factory parses dates as `YYYY-MM-DD` strings
 * (never as a `Date` at local midnight), so a date never shifts with the time zone.
 */
export type DateString = ColumnType<string, string, string>

/**
 * A `numeric(12,2)` column. Read as an exact decimal string (`"1234.50"`), never a float.
 */
export type Numeric = ColumnType<string, string | number, string | number>

/** A `bigint` identity column read as a JavaScript number (ids stay below 2^53). */
export type Id = ColumnType<number, never, never>

/** Upload statuses, in the only order they may move: pending -> processing -> success | failed. */
export const UPLOAD_STATUSES = ['pending', 'processing', 'success', 'failed'] as const
/** An upload's status. */
export type UploadStatus = (typeof UPLOAD_STATUSES)[number]

/** Claim statuses. */
export const CLAIM_STATUSES = ['submitted', 'paid', 'denied', 'adjusted'] as const
/** A claim's status. */
export type ClaimStatus = (typeof CLAIM_STATUSES)[number]

/** Drift grouping: by payer, or by payer and CPT code. */
export const DRIFT_GROUP_BYS = ['payer', 'payer_cpt'] as const
/** How drift detection groups claims. */
export type DriftGroupBy = (typeof DRIFT_GROUP_BYS)[number]

/** Drift metrics. */
export const DRIFT_METRICS = ['denial_rate', 'paid_ratio'] as const
/** A drift metric. */
export type DriftMetric = (typeof DRIFT_METRICS)[number]

/** Drift event severities. */
export const DRIFT_SEVERITIES = ['low', 'medium', 'high'] as const
/** A drift event's severity. */
export type DriftSeverity = (typeof DRIFT_SEVERITIES)[number]

/** `customers`: one row per tenant. The only table without `customer_id`. */
export interface CustomersTable {
  id: Generated<number>
  name: string
  created_at: ColumnType<Date, Date | string | undefined, never>
}

/** `api_keys`: bearer tokens, stored as the lowercase hex SHA-256 of the token. */
export interface ApiKeysTable {
  customer_id: number
  id: Generated<number>
  key_hash: string
  scopes: ColumnType<string[], string[] | undefined, string[]>
  label: string | null
  created_at: ColumnType<Date, Date | string | undefined, never>
  revoked_at: Timestamp | null
}

/** `uploads`: one CSV file of claims and its processing state. */
export interface UploadsTable {
  customer_id: number
  id: Generated<number>
  filename: string
  status: ColumnType<UploadStatus, UploadStatus | undefined, UploadStatus>
  row_count: number | null
  error_message: string | null
  uploaded_at: ColumnType<Date, Date | string | undefined, Date | string>
  processing_started_at: Timestamp | null
  processing_completed_at: Timestamp | null
}

/** `claim_records`: one healthcare claim line of an upload. */
export interface ClaimRecordsTable {
  customer_id: number
  id: Generated<number>
  upload_id: number
  claim_number: string
  payer_name: string
  cpt_code: string
  service_date: DateString
  billed_amount: Numeric
  allowed_amount: ColumnType<string | null, string | number | null, string | number | null>
  paid_amount: ColumnType<string | null, string | number | null, string | number | null>
  status: ClaimStatus
  denial_reason: string | null
  created_at: ColumnType<Date, Date | string | undefined, never>
}

/** `drift_reports`: one run of drift detection; unique per customer and parameters. */
export interface DriftReportsTable {
  customer_id: number
  id: Generated<number>
  as_of: DateString
  baseline_start: DateString
  baseline_end: DateString
  current_start: DateString
  current_end: DateString
  group_by: DriftGroupBy
  min_claims: number
  alpha: number
  groups_tested: number
  events_count: number
  computed_at: ColumnType<Date, Date | string | undefined, Date | string>
  duration_ms: number
}

/** `drift_events`: one significant change of one metric for one group. */
export interface DriftEventsTable {
  customer_id: number
  id: Generated<number>
  report_id: number
  payer_name: string
  cpt_code: string | null
  metric: DriftMetric
  baseline_value: number
  current_value: number
  delta: number
  baseline_n: number
  current_n: number
  p_value: number
  adjusted_p_value: number
  severity: DriftSeverity
  created_at: ColumnType<Date, Date | string | undefined, never>
}

/**
 * The Kysely schema of every table the migrations create.
 *
 * @example
 * ```ts
 * import { Kysely } from 'kysely'
 * import type { Database } from 'upstream'
 * declare const db: Kysely<Database>
 * const rows = await db.selectFrom('uploads').select(['id', 'status']).execute()
 * ```
 */
export interface Database {
  customers: CustomersTable
  api_keys: ApiKeysTable
  uploads: UploadsTable
  claim_records: ClaimRecordsTable
  drift_reports: DriftReportsTable
  drift_events: DriftEventsTable
}

/** A customer row. */
export type Customer = Selectable<CustomersTable>
/** An API key row. */
export type ApiKey = Selectable<ApiKeysTable>
/** An upload row. */
export type Upload = Selectable<UploadsTable>
/** A new upload row. */
export type NewUpload = Insertable<UploadsTable>
/** A change to an upload row. */
export type UploadUpdate = Updateable<UploadsTable>
/** A claim record row. */
export type ClaimRecord = Selectable<ClaimRecordsTable>
/** A new claim record row. */
export type NewClaimRecord = Insertable<ClaimRecordsTable>
/** A drift report row. */
export type DriftReport = Selectable<DriftReportsTable>
/** A drift event row. */
export type DriftEvent = Selectable<DriftEventsTable>
