import { z } from 'zod'
import { ValidationError } from '../../errors/index.js'
import { dateProblem, DATE_FORMAT_MESSAGE } from './strict-values.js'

const dateParam = (description: string) =>
  z
    .iso.date({ error: DATE_FORMAT_MESSAGE })
    .check((ctx) => {
      const problem = dateProblem(ctx.value)
      if (problem) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value })
    })
    .optional()
    .describe(description)

/**
 * The query of `GET /uploads/statistics/` (docs/http-api.md): both dates optional, strict
 * `YYYY-MM-DD` real calendar dates, inclusive, on the UTC date of `uploaded_at`. The same
 * object documents the endpoint in OpenAPI.
 *
 * @example
 * ```ts
 * uploadStatisticsQuerySchema.parse({ start_date: '2024-01-01' }) // { start_date: '2024-01-01' }
 * ```
 */
export const uploadStatisticsQuerySchema = z.object({
  start_date: dateParam('Count uploads from this UTC date of `uploaded_at` on (inclusive), YYYY-MM-DD.'),
  end_date: dateParam('Count uploads up to this UTC date of `uploaded_at` (inclusive), YYYY-MM-DD.'),
})

/**
 * A parsed statistics query.
 *
 * @example
 * ```ts
 * const january: UploadStatisticsQuery = { start_date: '2025-01-01', end_date: '2025-01-31' }
 * const stats = await uploadStatistics(claimsTenant(upstream, 7), january)
 * ```
 */
export type UploadStatisticsQuery = z.output<typeof uploadStatisticsQuerySchema>

/**
 * Raw query parameters as HTTP frameworks give them: `URLSearchParams` or a parsed query object.
 *
 * @example
 * ```ts
 * const params: UploadStatisticsParams = new URL(request.url).searchParams // or Express's req.query, Koa's ctx.query
 * const stats = await uploadStatistics(claimsTenant(upstream, 7), params)
 * ```
 */
export type UploadStatisticsParams = URLSearchParams | Readonly<Record<string, string | readonly string[] | undefined>>

/**
 * Parses raw query parameters into an {@link UploadStatisticsQuery}: an empty value means no
 * bound, a parameter given twice or a malformed date is a {@link errors!ValidationError} naming the
 * parameter (HTTP 400 `{"start_date": ["Date has wrong format. ..."]}`); other parameters are
 * ignored.
 *
 * @example
 * ```ts
 * parseUploadStatisticsQuery({ start_date: '2024-01-01', end_date: '' }) // { start_date: '2024-01-01' }
 * parseUploadStatisticsQuery(new URLSearchParams('start_date=2024-02-30')) // throws ValidationError
 * ```
 */
export function parseUploadStatisticsQuery(query: UploadStatisticsParams): UploadStatisticsQuery {
  const fields: Record<string, string[]> = {}
  const values: Record<string, string | undefined> = {}
  for (const name of ['start_date', 'end_date'] as const) {
    const raw = query instanceof URLSearchParams ? query.getAll(name) : query[name]
    if (Array.isArray(raw) && raw.length > 1) {
      fields[name] = ['This parameter may be given only once.']
      continue
    }
    const value = (Array.isArray(raw) ? raw[0] : raw) as string | undefined
    values[name] = value === undefined || value === '' ? undefined : value
  }
  const parsed = uploadStatisticsQuerySchema.safeParse(values)
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0])
      const messages = (fields[name] ??= [])
      if (!messages.includes(issue.message)) messages.push(issue.message)
    }
  }
  if (Object.keys(fields).length > 0 || !parsed.success) throw new ValidationError(fields)
  return parsed.data
}
