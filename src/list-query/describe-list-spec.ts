import { z } from 'zod'
import { filterDocSchema } from './filter-value-schema.js'
import type { ListSpecSettings } from './list-spec.js'
import type { EnvelopeDescription, EnvelopeKey, ListParameterDescription, Lookup, PaginationStyle } from './list-spec-description.js'
import { orderingTerms } from './parse-list-params.js'

const LOOKUP_TEXT: Record<Lookup, string> = {
  exact: 'equals',
  in: 'is one of (comma-separated)',
  gt: 'is greater than',
  gte: 'is greater than or equal to',
  lt: 'is less than',
  lte: 'is less than or equal to',
  range: 'is between (inclusive, `low,high`)',
  isnull: 'is null (`true`) or not null (`false`)',
  icontains: 'contains (case-insensitive)',
  istartswith: 'starts with (case-insensitive)',
}

const KEY: Record<string, EnvelopeKey> = {
  count: { name: 'count', type: 'integer', nullable: true, required: true, description: 'Number of rows matching the filters (null when the list does not count).' },
  next: { name: 'next', type: 'uri', nullable: true, required: true, description: 'Absolute URL of the next page, or null.' },
  previous: { name: 'previous', type: 'uri', nullable: true, required: true, description: 'Absolute URL of the previous page, or null.' },
  results: { name: 'results', type: 'array', nullable: false, required: true, description: 'The rows of this page.' },
  count_is_estimate: {
    name: 'count_is_estimate',
    type: 'boolean',
    nullable: false,
    required: false,
    description: "Present (true) only when `count` is the planner's estimate rather than an exact count.",
  },
}

/**
 * The envelope keys of a pagination style.
 *
 * @example
 * ```ts
 * envelopeFor('cursor').keys.map((k) => k.name) // ['next', 'previous', 'results']
 * ```
 */
export function envelopeFor(style: PaginationStyle, estimated = false): EnvelopeDescription {
  const names = style === 'cursor' ? ['next', 'previous', 'results'] : ['count', 'next', 'previous', 'results', ...(estimated ? ['count_is_estimate'] : [])]
  return Object.freeze({ style, keys: Object.freeze(names.map((n) => KEY[n]!)) })
}

/**
 * Builds the {@link ListSpecDescription} of a list from its settings.
 *
 * @example
 * ```ts
 * describeListSpec(claimsListSpec.settings).parameters.find((p) => p.name === 'min_amount')?.filter?.lookup // 'gte'
 * ```
 */
export function describeListSpec(s: ListSpecSettings) {
  const params: ListParameterDescription[] = []
  const styles = s.pagination.styles
  const pageSizeText = `default ${s.pageSize.default}, larger values are clamped to ${s.pageSize.max}`
  if (styles.includes('page-number') || styles.includes('cursor')) {
    const both = styles.filter((x) => x !== 'limit-offset')
    if (styles.includes('page-number'))
      params.push({ name: 'page', in: 'query', kind: 'pagination', schema: z.string().regex(/^([1-9]\d*|last)$/), description: 'Page number (1-based) or `last`. A page past the end answers 404.', explode: false, commaSeparated: false, paginationStyles: ['page-number'] })
    params.push({ name: 'page_size', in: 'query', kind: 'pagination', schema: z.string().regex(/^[1-9]\d*$/), description: `Rows per page (${pageSizeText}).`, explode: false, commaSeparated: false, paginationStyles: both })
  }
  if (styles.length > 1)
    params.push({ name: 'pagination', in: 'query', kind: 'pagination', schema: z.enum(styles as [string, ...string[]]), description: `Pagination style (default \`${s.pagination.default}\`).`, explode: false, commaSeparated: false, enum: styles, paginationStyles: styles })
  if (styles.includes('cursor'))
    params.push({ name: 'cursor', in: 'query', kind: 'pagination', schema: z.string().regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/), description: 'Opaque cursor from a `next` or `previous` URL; bound to the ordering and filters it was made with.', explode: false, commaSeparated: false, paginationStyles: ['cursor'] })
  if (styles.includes('limit-offset')) {
    params.push({ name: 'limit', in: 'query', kind: 'pagination', schema: z.string().regex(/^[1-9]\d*$/), description: `Rows to return (${pageSizeText}).`, explode: false, commaSeparated: false, paginationStyles: ['limit-offset'] })
    params.push({ name: 'offset', in: 'query', kind: 'pagination', schema: z.string().regex(/^\d+$/), description: 'Rows to skip.', explode: false, commaSeparated: false, paginationStyles: ['limit-offset'] })
  }
  const terms = orderingTerms(s)
  if (s.ordering.param && terms.length > 0)
    params.push({
      name: 'ordering',
      in: 'query',
      kind: 'ordering',
      schema: z.string(),
      description: `Comma-separated ordering terms, \`-\` for descending; allowed: ${terms.join(', ')}. Default ${s.ordering.default.map((t) => (t.direction === 'desc' ? '-' : '') + t.field).join(',')}; the tiebreaker \`${s.ordering.tiebreaker}\` is appended in the direction of the last term.`,
      explode: false,
      commaSeparated: true,
      enum: terms,
    })
  if (s.search.length > 0)
    params.push({ name: 'search', in: 'query', kind: 'search', schema: z.string().max(1000), description: `Search terms separated by whitespace or commas; every term must match one of: ${s.search.map((f) => f.spec).join(', ')} (case-insensitive substring unless prefixed: ^ starts with, = exact, @ full text).`, explode: false, commaSeparated: false })
  for (const [field, def] of Object.entries(s.filters)) {
    const lookups: Lookup[] = [def.as, ...def.lookups.filter((l) => l !== def.as)]
    for (const lookup of lookups) {
      const name = lookup === def.as ? field : `${field}__${lookup}`
      const value = lookup === 'isnull' ? z.enum(['true', 'false', '1', '0']) : filterDocSchema(def)
      params.push({
        name,
        in: 'query',
        kind: 'filter',
        schema: lookup === 'in' || lookup === 'range' ? z.string() : value,
        description: `${def.description ? `${def.description} ` : ''}Rows whose \`${def.column}\` ${LOOKUP_TEXT[lookup]} the value (${def.type}). Repeat the parameter to match any of several values.`,
        explode: true,
        commaSeparated: lookup === 'in' || lookup === 'range',
        ...(def.type === 'enum' && lookup !== 'isnull' && def.values ? { enum: def.values } : {}),
        filter: { field, column: def.column, lookup, valueType: lookup === 'isnull' ? 'boolean' : def.type },
      })
    }
  }
  return Object.freeze({
    name: s.name,
    parameters: Object.freeze(params),
    pagination: Object.freeze({ styles: Object.freeze([...styles]), default: s.pagination.default }),
    pageSize: s.pageSize,
    ordering: Object.freeze({
      fields: Object.freeze(Object.keys(s.ordering.param ? s.ordering.fields : {})),
      terms: Object.freeze(s.ordering.param ? terms : []),
      default: Object.freeze(s.ordering.default.map((t) => (t.direction === 'desc' ? '-' : '') + t.field)),
      tiebreaker: s.ordering.tiebreaker,
    }),
    search: s.search.length > 0 ? Object.freeze({ fields: Object.freeze(s.search.map((f) => f.spec)) }) : undefined,
    count: s.count,
    maxOffset: s.maxOffset,
    envelopes: Object.freeze(styles.map((st) => envelopeFor(st, s.count.kind === 'estimated' || s.searchCount.kind === 'estimated'))),
  })
}
