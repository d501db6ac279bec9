/**
 * One problem with one CSV row: the 1-based line of the file where the row starts (the
 * header is line 1; a quoted field spanning lines counts every line), the column it concerns
 * (`null` for the row as a whole) and a message for a person.
 *
 * @example
 * ```ts
 * const error: UploadRowError = { line: 7, column: 'service_date', message: 'Date has wrong format. Use one of these formats instead: YYYY-MM-DD.' }
 * ```
 */
export interface UploadRowError {
  /** 1-based line of the file where the row starts. */
  readonly line: number
  /** The column concerned, or `null` for the whole row (a CSV syntax error, a wrong field count). */
  readonly column: string | null
  /** What is wrong. */
  readonly message: string
}
