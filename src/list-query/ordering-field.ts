/**
 * A column a list may be ordered by. `nullable` columns sort NULLs as larger than every value
 * (PostgreSQL's default: last ascending, first descending), and cursors handle them.
 *
 * @example
 * ```ts
 * const rowCount: OrderingField<'row_count'> = { column: 'row_count', nullable: true }
 * ```
 */
export interface OrderingField<Column extends string = string> {
  /** The column (or `table.column`). */
  readonly column: Column
  /** Whether the column may be NULL. Default false. */
  readonly nullable?: boolean
}
