import { z } from 'zod'
import { ValidationError } from '../errors/index.js'
import { booleanValue, filterValueSchema, textValue, type FilterScalar } from './filter-value-schema.js'
import type { FilterCondition, ListParams, ListParamValue, ListQuery, OrderingTerm, PageRequest } from './list-query.js'
import type { ListSpecSettings } from './list-spec.js'
import type { Lookup, PaginationStyle } from './list-spec-description.js'
import { splitSearchTerms } from './search-field.js'

/**
 * Parameters that may appear at most once (a repeat is a 400).
 *
 * @example
 * ```ts
 * const isControl = (name: string) => (CONTROL_PARAMS as readonly string[]).includes(name)
 * isControl('page_size') // true: ?page_size=10&page_size=20 -> 400 { page_size: ['Only one value is allowed; got 2.'] }
 * isControl('status') // false: a filter, which may repeat (?status=paid&status=denied)
 * ```
 */
export const CONTROL_PARAMS = ['page', 'page_size', 'ordering', 'search', 'cursor', 'limit', 'offset', 'pagination', 'format'] as const

/** How deep a nested query-string object is read back (qs itself stops at 5). */
const MAX_NESTING = 5

/** The longest `cursor` value accepted. */
const MAX_CURSOR_LENGTH = 4096

/**
 * Reads {@link ListParams} into a map of parameter -> every value given, in order.
 *
 * @example
 * ```ts
 * paramsToMap({ status: ['paid', 'denied'] }).get('status') // ['paid', 'denied']
 * paramsToMap({ name: { gt: 'a' } }).get('name[gt]') // ['a'] (qs parsed ?name[gt]=a)
 * ```
 */
export function paramsToMap(params: ListParams): Map<string, string[]> {
  const map = new Map<string, string[]>()
  if (params instanceof URLSearchParams) {
    for (const [k, v] of params) addParam(map, k, v)
  } else {
    for (const [k, v] of Object.entries(params)) readParam(map, k, v, 0)
  }
  return map
}

function addParam(map: Map<string, string[]>, k: string, v: string): void {
  const list = map.get(k)
  if (list) list.push(v)
  else map.set(k, [v])
}

/** A value of a parsed query string; nested objects go back to the bracketed names they came from. */
function readParam(map: Map<string, string[]>, k: string, v: ListParamValue | undefined, depth: number): void {
  if (v === undefined) return
  if (typeof v === 'string') addParam(map, k, v)
  else if (Array.isArray(v)) for (const [i, x] of (v as readonly ListParamValue[]).entries()) readParam(map, typeof x === 'object' ? `${k}[${i}]` : k, x, depth + 1)
  else if (typeof v === 'object' && depth < MAX_NESTING) for (const [key, x] of Object.entries(v)) readParam(map, `${k}[${key}]`, x, depth + 1)
  else if (typeof v !== 'object') addParam(map, k, String(v))
}

const positiveInt = (message: string) =>
  z.string().transform((s, ctx) => {
    if (!/^\d+$/.test(s) || /^0+$/.test(s)) {
      ctx.addIssue({ code: 'custom', message })
      return z.NEVER
    }
    const n = Number(s)
    return Number.isSafeInteger(n) ? n : Number.MAX_SAFE_INTEGER
  })

/** `page`: a positive integer or `last`. */
export const pageValue = z.union([z.literal('last'), positiveInt('A valid page number is required: a positive integer or "last".')])
/** `page_size` and `limit`: a positive integer (clamped to the maximum later). */
export const pageSizeValue = positiveInt('A valid page size is required: a positive integer.')
/** `offset`: a non-negative integer. */
export const offsetValue = z.string().transform((s, ctx) => {
  if (!/^\d+$/.test(s)) {
    ctx.addIssue({ code: 'custom', message: 'A valid offset is required: a non-negative integer.' })
    return z.NEVER
  }
  const n = Number(s)
  return Number.isSafeInteger(n) ? n : Number.MAX_SAFE_INTEGER
})

function messagesOf(result: z.ZodSafeParseResult<unknown>): string[] {
  return result.success ? [] : result.error.issues.map((i) => (i.code === 'invalid_union' ? 'A valid page number is required: a positive integer or "last".' : i.message))
}

/**
 * The allowed `ordering` terms of a list: every field and its `-field`, in declaration order.
 *
 * @example
 * ```ts
 * orderingTerms(claimsListSpec.settings) // ['service_date', '-service_date', 'billed_amount', ...]
 * ```
 */
export function orderingTerms(settings: ListSpecSettings): string[] {
  return Object.keys(settings.ordering.fields).flatMap((f) => [f, `-${f}`])
}

/** One query parameter of a filter: `field` or `field__lookup`. */
interface FilterParam {
  readonly param: string
  readonly field: string
  readonly def: ListSpecSettings['filters'][string]
  readonly lookup: Lookup
}

const filterParams = new WeakMap<ListSpecSettings['filters'], readonly FilterParam[]>()

/** The filter parameters of a list, in the order they are read: made once per list (its settings are frozen), not per request. */
function filterParamsOf(settings: ListSpecSettings): readonly FilterParam[] {
  const known = filterParams.get(settings.filters)
  if (known) return known
  const made: FilterParam[] = []
  let frozen = Object.isFrozen(settings.filters)
  for (const [field, def] of Object.entries(settings.filters)) {
    frozen &&= Object.isFrozen(def) && Object.isFrozen(def.lookups)
    made.push({ param: field, field, def, lookup: def.as })
    for (const l of def.lookups) if (l !== def.as) made.push({ param: `${field}__${l}`, field, def, lookup: l })
  }
  // settings made by defineListSpec are frozen; hand-made ones that could still change are read anew each time
  if (frozen) filterParams.set(settings.filters, Object.freeze(made))
  return made
}

/** Records `messages` for `param` (each once). */
function fail(errors: Record<string, string[]>, param: string, messages: readonly string[]): void {
  if (messages.length === 0) return
  const list = (errors[param] ??= [])
  for (const m of messages) if (!list.includes(m)) list.push(m)
}

/** The one value of a control parameter (`undefined` when absent or empty); given twice is an error. */
function single(map: ReadonlyMap<string, readonly string[]>, errors: Record<string, string[]>, name: string): string | undefined {
  const values = map.get(name)
  if (!values) return undefined
  if (values.length > 1) {
    fail(errors, name, [`Only one value is allowed; got ${values.length}.`])
    return undefined
  }
  return values[0] === '' ? undefined : values[0]
}

/** One filter value through its schema; a failure's messages go to `messages`. */
function parseOne(schema: z.ZodType<FilterScalar, string>, messages: string[], s: string): FilterScalar | undefined {
  const r = schema.safeParse(s)
  if (r.success) return r.data
  messages.push(...messagesOf(r))
  return undefined
}

/**
 * Parses a list's query parameters strictly (the HTTP API guide, docs/http-api.md), collecting every problem of
 * the request before throwing one `ValidationError`. Unknown parameters are ignored; an empty
 * value means "not given"; a repeated control parameter is a 400; a repeated filter matches
 * any of its values.
 *
 * @example
 * ```ts
 * parseListParams(claimsListSpec.settings, new URLSearchParams('min_amount=abc&page=0'))
 * // throws ValidationError { min_amount: ['A valid number is required.'], page: ['A valid page number is required: ...'] }
 * ```
 */
export function parseListParams(settings: ListSpecSettings, params: ListParams): ListQuery {
  const map = paramsToMap(params)
  const errors: Record<string, string[]> = {}

  // Pagination style
  const styles = settings.pagination.styles
  const cursorRaw = styles.includes('cursor') ? single(map, errors, 'cursor') : undefined
  const paginationRaw = styles.length > 1 ? single(map, errors, 'pagination') : undefined
  let style: PaginationStyle = settings.pagination.default
  if (paginationRaw !== undefined) {
    if ((styles as readonly string[]).includes(paginationRaw)) style = paginationRaw as PaginationStyle
    else fail(errors, 'pagination', [`Select a valid choice. ${JSON.stringify(paginationRaw.slice(0, 60))} is not one of: ${styles.join(', ')}.`])
  }
  if (cursorRaw !== undefined) {
    if (paginationRaw !== undefined && paginationRaw !== 'cursor' && (styles as readonly string[]).includes(paginationRaw))
      fail(errors, 'cursor', [`"cursor" cannot be combined with pagination=${paginationRaw}.`])
    style = 'cursor'
    if (cursorRaw.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(cursorRaw)) fail(errors, 'cursor', ['Invalid cursor.'])
  }

  const max = settings.pageSize.max
  let page: PageRequest
  if (style === 'limit-offset') {
    const limitRaw = single(map, errors, 'limit')
    const offsetRaw = single(map, errors, 'offset')
    const limit = limitRaw === undefined ? undefined : pageSizeValue.safeParse(limitRaw)
    const offset = offsetRaw === undefined ? undefined : offsetValue.safeParse(offsetRaw)
    if (limit) fail(errors, 'limit', messagesOf(limit))
    if (offset) fail(errors, 'offset', messagesOf(offset))
    page = {
      style,
      limit: Math.min(limit?.success ? limit.data : settings.pageSize.default, max),
      offset: offset?.success ? offset.data : 0,
    }
  } else {
    // limit/offset are control parameters: on a list that pages otherwise they are an error, not ignored
    for (const name of ['limit', 'offset'] as const) {
      if (single(map, errors, name) !== undefined) fail(errors, name, [`This list is not paginated by limit and offset: use page and page_size${styles.includes('cursor') ? ', or cursor' : ''}.`])
    }
    const sizeRaw = single(map, errors, 'page_size')
    const size = sizeRaw === undefined ? undefined : pageSizeValue.safeParse(sizeRaw)
    if (size) fail(errors, 'page_size', messagesOf(size))
    const pageSize = Math.min(size?.success ? size.data : settings.pageSize.default, max)
    if (style === 'cursor') {
      page = { style, cursor: cursorRaw, pageSize }
    } else {
      const pageRaw = single(map, errors, 'page')
      const parsed = pageRaw === undefined ? undefined : pageValue.safeParse(pageRaw)
      if (parsed) fail(errors, 'page', messagesOf(parsed))
      page = { style: 'page-number', page: parsed?.success ? parsed.data : 1, pageSize }
    }
  }

  // Ordering
  let ordering: OrderingTerm[] = [...settings.ordering.default]
  if (settings.ordering.param) {
    const raw = single(map, errors, 'ordering')
    if (raw !== undefined) {
      const terms = raw.split(',').map((t) => t.trim()).filter((t) => t.length > 0)
      const chosen: OrderingTerm[] = []
      const bad: string[] = []
      for (const term of terms) {
        const desc = term.startsWith('-')
        const field = desc ? term.slice(1) : term
        if (!Object.hasOwn(settings.ordering.fields, field)) bad.push(term)
        else if (!chosen.some((c) => c.field === field)) chosen.push({ field, direction: desc ? 'desc' : 'asc' })
      }
      for (const b of bad) fail(errors, 'ordering', [`Invalid ordering field ${JSON.stringify(b.slice(0, 60))}. Allowed: ${orderingTerms(settings).join(', ')}.`])
      if (chosen.length > 0) ordering = chosen
    }
  }

  // Search
  let search: string[] = []
  if (settings.search.length > 0) {
    const raw = single(map, errors, 'search')
    if (raw !== undefined) {
      const checked = textValue.safeParse(raw)
      if (checked.success) search = splitSearchTerms(raw)
      else fail(errors, 'search', messagesOf(checked))
    }
  }

  // Filters
  const filters: FilterCondition[] = []
  for (const { param, field, def, lookup } of filterParamsOf(settings)) {
    const raw = map.get(param)
    if (!raw) continue
    // surrounding spaces are stripped, as Django's form fields do; an empty value is no filter
    const given = raw.map((v) => v.trim()).filter((v) => v !== '')
    if (given.length === 0) continue
    const values: (FilterScalar | readonly [FilterScalar, FilterScalar])[] = []
    const messages: string[] = []
    const schema = lookup === 'isnull' ? booleanValue : filterValueSchema(def)
    for (const v of given) {
      if (lookup === 'in') {
        for (const raw of v.split(',')) {
          const item = raw.trim()
          if (item === '') continue
          const x = parseOne(schema, messages, item)
          if (x !== undefined) values.push(x)
        }
      } else if (lookup === 'range') {
        const parts = v.split(',')
        if (parts.length !== 2 || parts[0]!.trim() === '' || parts[1]!.trim() === '') {
          messages.push('A range needs two comma-separated values: low,high.')
          continue
        }
        const lo = parseOne(schema, messages, parts[0]!.trim())
        const hi = parseOne(schema, messages, parts[1]!.trim())
        if (lo !== undefined && hi !== undefined) values.push([lo, hi] as const)
      } else {
        const x = parseOne(schema, messages, v)
        if (x !== undefined) values.push(x)
      }
    }
    fail(errors, param, messages)
    if (messages.length === 0 && values.length > 0) filters.push({ param, field, column: def.column, lookup, values })
  }

  if (Object.keys(errors).length > 0) throw new ValidationError(errors)
  return Object.freeze({ list: settings.name, filters, search, ordering, page })
}
