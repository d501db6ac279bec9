import type { FilterValueType, Lookup } from './list-spec-description.js'

/**
 * A declarative filter over one column: which value type it parses, which lookup the bare
 * parameter applies, and which `<name>__<lookup>` parameters it also accepts. Made by the
 * builders of {@link filter}; `Column` is checked against the list's query by
 * {@link defineListSpec}.
 *
 * @example
 * ```ts
 * const minAmount: FilterField<'billed_amount'> = filter.decimal('billed_amount', { as: 'gte', lookups: [] })
 * ```
 */
export interface FilterField<Column extends string = string> {
  /** The column (or `table.column`) the filter applies to. */
  readonly column: Column
  /** How each value is parsed. */
  readonly type: FilterValueType
  /** The lookup of the bare parameter (`status=paid` -> `exact`; `min_amount=10` -> `gte`). */
  readonly as: Lookup
  /** Extra lookups, each accepted as `<name>__<lookup>`. */
  readonly lookups: readonly Lookup[]
  /** Allowed values of an `enum` filter. */
  readonly values?: readonly string[]
  /** `numeric(precision, scale)` bounds of a `decimal` filter. */
  readonly decimal?: { readonly precision: number; readonly scale: number }
  /** Text for the documentation. */
  readonly description?: string
}

/**
 * Options shared by every filter builder.
 *
 * @example
 * ```ts
 * const options: FilterOptions = { as: 'gte', lookups: ['lte', 'range'], description: 'Claims served on or after this date.' }
 * const filters = { service_date: filter.date('service_date', options) }
 * // ?service_date=2025-01-01 -> service_date >= '2025-01-01'; ?service_date__lte=... and ?service_date__range=... too
 * ```
 */
export interface FilterOptions {
  /** The lookup of the bare parameter. Default `exact`. */
  readonly as?: Lookup
  /** Extra `<name>__<lookup>` parameters. Defaults per type (see {@link filter}). */
  readonly lookups?: readonly Lookup[]
  /** Text for the documentation. */
  readonly description?: string
}

const COMPARISONS = ['in', 'gt', 'gte', 'lt', 'lte', 'range'] as const satisfies readonly Lookup[]

function make<C extends string>(column: C, type: FilterValueType, defaults: readonly Lookup[], options: FilterOptions, extra: Partial<FilterField<C>> = {}): FilterField<C> {
  return Object.freeze({
    column,
    type,
    as: options.as ?? 'exact',
    lookups: Object.freeze([...(options.lookups ?? defaults)]),
    ...(options.description === undefined ? {} : { description: options.description }),
    ...extra,
  })
}

/**
 * Builders of {@link FilterField}s, one per value type. Default extra lookups:
 * text `in, icontains, istartswith`; enum `in`; integer, decimal, number, date and
 * timestamp `in, gt, gte, lt, lte, range`; boolean none. Add `isnull` for nullable columns.
 *
 * @example
 * ```ts
 * const filters = {
 *   status: filter.enum('status', ['submitted', 'paid', 'denied', 'adjusted']),
 *   payer_name: filter.text('payer_name'),
 *   upload: filter.integer('upload_id'),
 *   min_amount: filter.decimal('billed_amount', { as: 'gte', lookups: [] }),
 *   date_after: filter.date('service_date', { as: 'gte', lookups: [] }),
 *   row_count: filter.integer('row_count', { lookups: ['gt', 'lt', 'isnull'] }),
 * }
 * // ?status=paid&status=denied            -> status in ('paid', 'denied')
 * // ?payer_name__icontains=acme           -> payer_name ilike '%acme%'
 * // ?min_amount=10.50                     -> billed_amount >= 10.50
 * // ?service_date__range=2025-01-01,2025-01-31
 * ```
 */
export const filter = Object.freeze({
  /** A text column: exact match, `in`, `icontains`, `istartswith`. */
  text: <C extends string>(column: C, options: FilterOptions = {}): FilterField<C> => make(column, 'text', ['in', 'icontains', 'istartswith'], options),
  /** A column with a closed set of values; unknown values are a 400. */
  enum: <C extends string>(column: C, values: readonly string[], options: FilterOptions = {}): FilterField<C> =>
    make(column, 'enum', ['in'], options, { values: Object.freeze([...values]) }),
  /** An integer column (ids, counts). */
  integer: <C extends string>(column: C, options: FilterOptions = {}): FilterField<C> => make(column, 'integer', COMPARISONS, options),
  /** A `numeric(precision, scale)` column, compared as an exact decimal (default `numeric(12,2)`). */
  decimal: <C extends string>(column: C, options: FilterOptions & { precision?: number; scale?: number } = {}): FilterField<C> =>
    make(column, 'decimal', COMPARISONS, options, { decimal: Object.freeze({ precision: options.precision ?? 12, scale: options.scale ?? 2 }) }),
  /** A floating-point column. */
  number: <C extends string>(column: C, options: FilterOptions = {}): FilterField<C> => make(column, 'number', COMPARISONS, options),
  /** A `date` column; values strictly `YYYY-MM-DD`. */
  date: <C extends string>(column: C, options: FilterOptions = {}): FilterField<C> => make(column, 'date', COMPARISONS, options),
  /** A `timestamptz` column; values ISO 8601. */
  timestamp: <C extends string>(column: C, options: FilterOptions = {}): FilterField<C> => make(column, 'timestamp', COMPARISONS, options),
  /** A boolean column. */
  boolean: <C extends string>(column: C, options: FilterOptions = {}): FilterField<C> => make(column, 'boolean', [], options),
})
