const TWO_DECIMALS = /^-?\d+\.\d\d$/

/**
 * An amount as the API writes it: a string with two decimals (`"1234.50"`), or `null`.
 * Exact decimal strings from PostgreSQL pass through; numbers are fixed to two places.
 *
 * @example
 * ```ts
 * presentAmount('12.5') // '12.50'
 * presentAmount(null)   // null
 * ```
 */
export function presentAmount(value: string | number | null | undefined): string | null {
  if (value === null || value === undefined) return null
  if (typeof value === 'number') return value.toFixed(2)
  if (TWO_DECIMALS.test(value)) return value // numeric(12,2) as PostgreSQL sends it: already the API's form
  const match = /^(-?\d+)(?:\.(\d*))?$/.exec(value)
  if (!match) return value
  const decimals = (match[2] ?? '').padEnd(2, '0')
  return decimals.length === 2 ? `${match[1]}.${decimals}` : Number(value).toFixed(2)
}

/**
 * A timestamp as the API writes it: ISO 8601 in UTC (`2026-11-26T12:00:00.000Z`), or `null`.
 *
 * @example
 * ```ts
 * presentTimestamp(new Date(0)) // '1970-01-01T00:00:00.000Z'
 * ```
 */
export function presentTimestamp(value: Date | string | null | undefined): string | null {
  if (value === null || value === undefined) return null
  return (value instanceof Date ? value : new Date(value)).toISOString()
}

/**
 * A date as the API writes it: `YYYY-MM-DD` (dates come from the database as such strings).
 *
 * @example
 * ```ts
 * presentDate('2026-01-31') // '2026-01-31'
 * ```
 */
export function presentDate(value: string | Date): string {
  return value instanceof Date ? value.toISOString().slice(0, 10) : value
}
