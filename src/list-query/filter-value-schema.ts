import { z } from 'zod'
import type { FilterField } from './filter-field.js'

/**
 * A parsed filter value, ready to be a query parameter: decimals, dates and timestamps stay exact strings.
 *
 * @example
 * ```ts
 * const query = claimsListSpec.parse(new URLSearchParams('status=paid&min_amount=10.50'))
 * const values: FilterScalar[] = query.filters.flatMap((c) => c.values.filter((v): v is FilterScalar => !Array.isArray(v)))
 * // ['paid', '10.50']: the decimal stays an exact string
 * ```
 */
export type FilterScalar = string | number | boolean

/**
 * The longest text value (filter or search) a list accepts; longer -> 400.
 *
 * @example
 * ```ts
 * const search = userInput.slice(0, MAX_TEXT_LENGTH) // a longer `search` is a 400: "Ensure this value has at most 1000 characters."
 * ```
 */
export const MAX_TEXT_LENGTH = 1000

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/
const INTEGER = /^[+-]?\d+$/
const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,4}))?$/
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/

/** DRF's message for a malformed date. */
export const DATE_FORMAT_MESSAGE = 'Date has wrong format. Use one of these formats instead: YYYY-MM-DD.'

function isCalendarDate(y: number, m: number, d: number): boolean {
  if (y < 1 || m < 1 || m > 12 || d < 1) return false
  const t = new Date(Date.UTC(2000, m - 1, d))
  t.setUTCFullYear(y)
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d
}

/** Text: any string without NUL, at most {@link MAX_TEXT_LENGTH} characters. */
export const textValue = z
  .string()
  .refine((s) => !s.includes('\u0000'), 'Null characters are not allowed.')
  .refine((s) => s.length <= MAX_TEXT_LENGTH, `Ensure this value has at most ${MAX_TEXT_LENGTH} characters.`)

/**
 * A real calendar date, strictly `YYYY-MM-DD` (year 0001-9999).
 *
 * @example
 * ```ts
 * dateValue.parse('2024-02-29') // '2024-02-29'
 * dateValue.safeParse('2025-02-29').success // false: not a real calendar date
 * dateValue.safeParse('29/02/2024').success // false: 'Date has wrong format. Use one of these formats instead: YYYY-MM-DD.'
 * ```
 */
export const dateValue = z.string().superRefine((s, ctx) => {
  const m = DATE.exec(s)
  if (!m) return void ctx.addIssue({ code: 'custom', message: DATE_FORMAT_MESSAGE })
  if (!isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]))) ctx.addIssue({ code: 'custom', message: `"${s}" is not a real calendar date.` })
})

/**
 * An ISO 8601 timestamp; without an offset it is UTC. Normalized to `YYYY-MM-DDTHH:MM:SS.ffffff+HH:MM`.
 *
 * @example
 * ```ts
 * timestampValue.parse('2025-03-01T08:30+02:00') // '2025-03-01T08:30:00.000000+02:00'
 * timestampValue.parse('2025-03-01') // '2025-03-01T00:00:00.000000+00:00'
 * ```
 */
export const timestampValue = z.string().transform((s, ctx) => {
  const m = TIMESTAMP.exec(s)
  const bad = () => {
    ctx.addIssue({ code: 'custom', message: 'Datetime has wrong format. Use one of these formats instead: YYYY-MM-DD[THH:MM[:SS[.uuuuuu]]][+HH:MM|-HH:MM|Z].' })
    return z.NEVER
  }
  if (!m) return bad()
  const [, y, mo, d, hh = '00', mi = '00', ss = '00', frac = '', zone = 'Z'] = m
  if (!isCalendarDate(Number(y), Number(mo), Number(d)) || Number(hh) > 23 || Number(mi) > 59 || Number(ss) > 59) return bad()
  let offset = '+00:00'
  if (zone !== 'Z') {
    const digits = zone.slice(1).replace(':', '')
    const oh = digits.slice(0, 2)
    const om = digits.slice(2) || '00'
    if (Number(oh) > 15 || Number(om) > 59) return bad()
    offset = `${zone[0]}${oh}:${om}`
  }
  return `${y}-${mo}-${d}T${hh}:${mi}:${ss}.${frac.padEnd(6, '0')}${offset}`
})

/** A safe integer (ids and counts). */
export const integerValue = z.string().transform((s, ctx) => {
  if (!INTEGER.test(s)) {
    ctx.addIssue({ code: 'custom', message: 'A valid integer is required.' })
    return z.NEVER
  }
  const n = Number(s)
  if (!Number.isSafeInteger(n)) {
    ctx.addIssue({ code: 'custom', message: `Ensure this value is between ${Number.MIN_SAFE_INTEGER} and ${Number.MAX_SAFE_INTEGER}.` })
    return z.NEVER
  }
  return n
})

/** A finite floating-point number. */
export const numberValue = z.string().transform((s, ctx) => {
  const n = Number(s)
  if (!NUMBER.test(s) || !Number.isFinite(n)) {
    ctx.addIssue({ code: 'custom', message: 'A valid number is required.' })
    return z.NEVER
  }
  return n
})

/** `true`/`false`/`1`/`0` (any case of `true`/`false`). */
export const booleanValue = z.string().transform((s, ctx) => {
  const v = s.toLowerCase()
  if (v === 'true' || v === '1') return true
  if (v === 'false' || v === '0') return false
  ctx.addIssue({ code: 'custom', message: 'Must be a valid boolean: true or false.' })
  return z.NEVER
})

/**
 * An exact decimal within `numeric(precision, scale)`, as DRF's `DecimalField` checks it
 * (Python's `Decimal` syntax: `1234.50`, `.5`, `5.`, `1e3`, `-2.5E-1`). The value stays a
 * canonical string (`"0010.5"` -> `"10.5"`, `"1e3"` -> `"1000"`), never a float.
 *
 * @example
 * ```ts
 * decimalValue(12, 2).parse('1234.50') // '1234.50'
 * decimalValue(12, 2).parse('1e3') // '1000'
 * decimalValue(12, 2).safeParse('1.005').success // false: more than 2 decimal places
 * ```
 */
export function decimalValue(precision: number, scale: number) {
  return z.string().transform((s, ctx) => {
    const m = DECIMAL.exec(s)
    if (!m || (m[2] ?? '') + (m[3] ?? '') === '') {
      ctx.addIssue({ code: 'custom', message: 'A valid number is required.' })
      return z.NEVER
    }
    // shift the decimal point by the exponent, on the digit string: exact whatever the size
    const intDigits = m[2] ?? ''
    const digits = intDigits + (m[3] ?? '')
    const point = intDigits.length + Number(m[4] ?? 0)
    let whole: string
    let frac: string
    if (point <= 0) [whole, frac] = ['0', '0'.repeat(-point) + digits]
    else if (point >= digits.length) [whole, frac] = [digits + '0'.repeat(point - digits.length), '']
    else [whole, frac] = [digits.slice(0, point), digits.slice(point)]
    whole = whole.replace(/^0+(?=\d)/, '')
    if (frac.length > scale) ctx.addIssue({ code: 'custom', message: `Ensure that there are no more than ${scale} decimal places.` })
    if (whole.length > precision - scale && whole !== '0')
      ctx.addIssue({ code: 'custom', message: `Ensure that there are no more than ${precision - scale} digits before the decimal point.` })
    const sign = m[1] === '-' && /[1-9]/.test(whole + frac) ? '-' : ''
    return `${sign}${whole}${frac ? `.${frac}` : ''}`
  })
}

/** An element of a closed list of strings. */
export function enumValue(values: readonly string[]) {
  return z.string().superRefine((s, ctx) => {
    if (!values.includes(s))
      ctx.addIssue({ code: 'custom', message: `Select a valid choice. ${JSON.stringify(s.slice(0, 60))} is not one of the available choices: ${values.join(', ')}.` })
  })
}

/**
 * The zod schema that parses one raw value of `field` into a {@link FilterScalar}.
 *
 * @example
 * ```ts
 * filterValueSchema(filter.date('service_date')).safeParse('2025-02-30').success // false
 * ```
 */
export function filterValueSchema(field: FilterField): z.ZodType<FilterScalar, string> {
  // made once per field (fields are frozen definitions), not once per request
  let schema = schemas.get(field)
  if (!schema) schemas.set(field, (schema = makeFilterValueSchema(field)))
  return schema
}

const schemas = new WeakMap<FilterField, z.ZodType<FilterScalar, string>>()

function makeFilterValueSchema(field: FilterField): z.ZodType<FilterScalar, string> {
  switch (field.type) {
    case 'text':
      return textValue
    case 'enum':
      return enumValue(field.values ?? [])
    case 'integer':
      return integerValue
    case 'decimal':
      return decimalValue(field.decimal?.precision ?? 12, field.decimal?.scale ?? 2)
    case 'number':
      return numberValue
    case 'date':
      return dateValue
    case 'timestamp':
      return timestampValue
    case 'boolean':
      return booleanValue
  }
}

/**
 * The string schema of one raw value for documentation: pattern, format and enum, no transforms.
 *
 * @example
 * ```ts
 * filterDocSchema(filter.date('service_date')) // z.string() with format 'date'
 * ```
 */
export function filterDocSchema(field: FilterField): z.ZodType<string> {
  switch (field.type) {
    case 'text':
      return z.string().max(MAX_TEXT_LENGTH)
    case 'enum':
      return z.enum(field.values as [string, ...string[]])
    case 'integer':
      return z.string().regex(/^-?\d+$/)
    case 'decimal': {
      const p = field.decimal?.precision ?? 12
      const s = field.decimal?.scale ?? 2
      return z.string().regex(new RegExp(`^-?\\d{1,${p - s}}(\\.\\d{1,${s}})?$`))
    }
    case 'number':
      return z.string().regex(/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/)
    case 'date':
      return z.iso.date()
    case 'timestamp':
      return z.string().regex(/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$/)
    case 'boolean':
      return z.enum(['true', 'false', '1', '0'])
  }
}
