/**
 * Strict value checks shared by the CSV row schema and the statistics query: dates are
 * `YYYY-MM-DD` real calendar dates, amounts are decimals with at most 2 places within
 * numeric(12,2). Each returns `undefined` when the value is fine, else a message.
 *
 * @example
 * ```ts
 * dateProblem('2024-02-30') // 'Date has wrong format. Use one of these formats instead: YYYY-MM-DD.'
 * amountProblem('12.345')   // 'Ensure that there are no more than 2 decimal places.'
 * ```
 */
export const DATE_FORMAT_MESSAGE = 'Date has wrong format. Use one of these formats instead: YYYY-MM-DD.'

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const AMOUNT = /^(-?)(\d+)(?:\.(\d+))?$/

/**
 * `undefined` for a strict `YYYY-MM-DD` real calendar date (year 1 to 9999), else the message.
 *
 * @example
 * ```ts
 * dateProblem('2024-02-29') // undefined (leap year)
 * dateProblem('2023-02-29') // the format message
 * ```
 */
export function dateProblem(value: string): string | undefined {
  const m = DATE.exec(value)
  if (!m) return DATE_FORMAT_MESSAGE
  const y = Number(m[1])
  const mo = Number(m[2])
  const d = Number(m[3])
  if (y < 1 || mo < 1 || mo > 12 || d < 1) return DATE_FORMAT_MESSAGE
  const days = mo === 2 ? (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(mo) ? 30 : 31
  return d > days ? DATE_FORMAT_MESSAGE : undefined
}

/**
 * `undefined` for a decimal of at most 10 integer digits and 2 places, at least 0 (what
 * `numeric(12,2) check (>= 0)` stores exactly), else a DRF-style message.
 *
 * @example
 * ```ts
 * amountProblem('1234.50') // undefined
 * amountProblem('-1')      // 'Ensure this value is greater than or equal to 0.'
 * amountProblem('1e3')     // 'A valid number is required.'
 * ```
 */
export function amountProblem(value: string): string | undefined {
  const m = AMOUNT.exec(value)
  if (!m) return 'A valid number is required.'
  const integer = (m[2] ?? '').replace(/^0+(?=\d)/, '')
  const fraction = m[3] ?? ''
  if (m[1] === '-' && !/^0*$/.test(integer + fraction)) return 'Ensure this value is greater than or equal to 0.'
  if (fraction.length > 2) return 'Ensure that there are no more than 2 decimal places.'
  if (integer.length > 10) return 'Ensure that there are no more than 10 digits before the decimal point.'
  return undefined
}
