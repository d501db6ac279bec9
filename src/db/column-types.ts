import type { ColumnType } from 'kysely'

/**
 * A `timestamptz` column: read as a `Date`, written as a `Date` or an ISO string.
 *
 * @example
 * ```ts
 * const upload = await forTenant(upstream, 7).read(({ uploads }) => uploads.getById(12))
 * upload.processing_started_at // Date | null
 * await forTenant(upstream, 7).transaction(({ uploads }) =>
 *   uploads.update(12, { processing_started_at: '2026-06-01T08:00:00Z' }), // a string is accepted too
 * )
 * ```
 */
export type Timestamp = ColumnType<Date, Date | string, Date | string>

/**
 * A `date` column. The connection factory parses dates as `YYYY-MM-DD` strings
 * (never as a `Date` at local midnight), so a date never shifts with the time zone.
 *
 * @example
 * ```ts
 * const claim = await forTenant(upstream, 7).read(({ claims }) => claims.getById(42))
 * claim.service_date // '2026-05-14', whatever the process's TZ
 * ```
 */
export type DateString = ColumnType<string, string, string>

/**
 * A `numeric(12,2)` column. Read as an exact decimal string (`"1234.50"`), never a float.
 * Written as a string or a number.
 *
 * @example
 * ```ts
 * const claim = await forTenant(upstream, 7).read(({ claims }) => claims.getById(42))
 * claim.billed_amount // '1234.50' (a string: compare and sum it in SQL, or with a decimal library)
 * ```
 */
export type Numeric = ColumnType<string, string | number, string | number>

/**
 * A `bigint` identity column read as a JavaScript number (ids stay below 2^53), that an
 * insert or update may not set. The shipped tables declare their ids as `Generated<number>`;
 * this type is for an application's own tables that follow the same rule.
 *
 * @example
 * ```ts
 * import type { Id } from 'upstream'
 * interface InvoicesTable { id: Id; customer_id: number; total: string }
 * ```
 */
export type Id = ColumnType<number, never, never>
