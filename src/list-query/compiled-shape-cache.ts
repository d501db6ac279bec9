import { CompiledQuery, type Kysely } from 'kysely'
import { compiledPlanKeyOf } from '../db/internal.js'
import type { FilterScalar } from './filter-value-schema.js'
import type { FilterCondition } from './list-query.js'

/**
 * The inputs of one list request that reach its SQL only as bound parameters: filter values,
 * search terms, cursor values, limit and offset, in a fixed order. The shape (everything else:
 * which filters and lookups, how many values, which cursor values are NULL, the ordering) is
 * part of the cache key.
 *
 * @example
 * ```ts
 * const inputs: ListInputs = { filters: query.filters, cursor: [], numbers: [pageSize + 1, offset] }
 * ```
 */
export interface ListInputs {
  /** The filter conditions (values included). */
  readonly filters: readonly FilterCondition[]
  /** The cursor values (NULLs stay NULL: they shape the SQL). */
  readonly cursor: readonly (string | null)[]
  /** LIMIT, OFFSET and such numbers. */
  readonly numbers: readonly number[]
}

type Slot = string | number

const STRING_SLOT = (i: number) => `\u0001upstream-slot-${i}\u0001`
// A non-integer far from any id, page size or amount a request could carry.
const NUMBER_SLOT = (i: number) => -7_340_032_123_456.25 - i

/** Where each parameter of a cached statement comes from: an input (by index) or a constant. */
interface CachedStatement {
  readonly sql: string
  readonly sources: readonly ({ readonly input: number } | { readonly constant: unknown })[]
}

/** Flattens the inputs in their fixed order. */
function flatten(inputs: ListInputs): unknown[] {
  const out: unknown[] = []
  for (const f of inputs.filters) {
    if (f.lookup === 'isnull') continue // shapes the SQL, no parameter
    for (const v of f.values) {
      if (Array.isArray(v)) out.push(v[0], v[1])
      else out.push(v)
    }
  }
  for (const v of inputs.cursor) if (v !== null) out.push(v)
  out.push(...inputs.numbers)
  return out
}

function slotFor(value: unknown, i: number): Slot | undefined {
  if (typeof value === 'string') return STRING_SLOT(i)
  if (typeof value === 'number') return NUMBER_SLOT(i)
  return undefined // booleans (isnull) shape the SQL: not a slot
}

/** The same inputs with every slot value replaced by its sentinel, and the shape key. */
function probe(inputs: ListInputs): { probed: ListInputs; shape: string } | undefined {
  let i = 0
  const shapeParts: unknown[] = []
  const swap = (v: FilterScalar): FilterScalar | undefined => slotFor(v, i++)
  const filters: FilterCondition[] = []
  for (const f of inputs.filters) {
    if (f.lookup === 'icontains' || f.lookup === 'istartswith') return undefined // values are rewritten (escaped) into the parameter
    if (f.lookup === 'isnull') {
      // the value picks `is null` / `is not null`: part of the shape, no parameter
      filters.push(f)
      shapeParts.push([f.param, f.column, f.lookup, f.values])
      continue
    }
    const values: (FilterScalar | readonly [FilterScalar, FilterScalar])[] = []
    const kinds: string[] = []
    for (const v of f.values) {
      if (Array.isArray(v)) {
        const pair = v as readonly [FilterScalar, FilterScalar]
        const a = swap(pair[0])
        const b = swap(pair[1])
        if (a === undefined || b === undefined) return undefined
        values.push([a, b])
        kinds.push(`${typeof pair[0]},${typeof pair[1]}`)
      } else {
        const a = swap(v as FilterScalar)
        if (a === undefined) return undefined
        values.push(a)
        kinds.push(typeof v)
      }
    }
    filters.push({ ...f, values })
    shapeParts.push([f.param, f.column, f.lookup, kinds])
  }
  const cursor = inputs.cursor.map((v) => (v === null ? null : (STRING_SLOT(i++) as string)))
  shapeParts.push(inputs.cursor.map((v) => v === null))
  const numbers = inputs.numbers.map(() => NUMBER_SLOT(i++))
  shapeParts.push(inputs.numbers.length)
  return { probed: { filters, cursor, numbers }, shape: JSON.stringify(shapeParts) }
}

/** Maps a compiled probe's parameters back to inputs; `undefined` when a sentinel was not passed through as is. */
function statementOf(compiled: CompiledQuery, count: number): CachedStatement | undefined {
  const bySentinel = new Map<unknown, number>()
  for (let i = 0; i < count; i++) {
    bySentinel.set(STRING_SLOT(i), i)
    bySentinel.set(NUMBER_SLOT(i), i)
  }
  if (compiled.sql.includes('\u0001upstream-slot-') || compiled.sql.includes('7340032123456')) return undefined // inlined
  const seen = new Set<number>()
  const sources = compiled.parameters.map((p) => {
    const input = bySentinel.get(p)
    if (input !== undefined) {
      seen.add(input)
      return { input }
    }
    if (typeof p === 'string' && p.includes('\u0001upstream-slot-')) return undefined // rewritten into a larger value
    if (typeof p === 'number' && p < -7_000_000_000_000) return undefined // computed from a sentinel
    if (typeof p === 'object' && p !== null) return undefined // a Date or such made by the query itself: maybe of the moment
    return { constant: p }
  })
  if (seen.size !== count || sources.some((s) => s === undefined)) return undefined
  return { sql: compiled.sql, sources: sources as CachedStatement['sources'] }
}

const MAX_SHAPES = 500

/**
 * Compiled statements of list queries, per database setup (dialect and plugins, such as the
 * schema plugin of `createDatabase`) and shape. A statement is built and compiled once per
 * shape with sentinel values, and later requests of that shape only bind their own values:
 * no query building, no plugin pass, no compilation per request. Shapes whose values do not
 * reach the SQL unchanged as parameters (search and `icontains` patterns, for example) are not
 * cached and are built every time.
 *
 * @example
 * ```ts
 * const cache = new CompiledShapeCache()
 * const compiled = cache.compile(db, `rows:${scopeKey}`, inputs, (i) => buildRowsQuery(i).compile())
 * ```
 */
export class CompiledShapeCache {
  readonly #byDatabase = new WeakMap<object, Map<string, CachedStatement | null>>()
  /** The number of builds (misses and uncachable shapes), for tests. */
  builds = 0

  /**
   * The compiled statement of `build(inputs)`, from the cache when the shape is known.
   *
   * @param db the database (its dialect adapter and plugins pick the cache)
   * @param key what else the SQL depends on (list, scope, ordering, statement kind)
   * @param inputs the request's values
   * @param build builds and compiles the statement from (possibly sentinel) inputs
   */
  compile<DB>(db: Kysely<DB>, key: string, inputs: ListInputs, build: (inputs: ListInputs) => CompiledQuery): CompiledQuery {
    const { shapes, checks } = this.#shapesOf(db)
    const p = probe(inputs)
    if (!p) return this.#build(build, inputs)
    const fullKey = `${key}\u0000${p.shape}`
    let statement = shapes.get(fullKey)
    if (statement === undefined) {
      const values = flatten(inputs)
      statement = statementOf(this.#build(build, p.probed), values.length) ?? null
      if (shapes.size >= MAX_SHAPES) shapes.clear()
      shapes.set(fullKey, statement)
    }
    if (statement === null) return this.#build(build, inputs)
    for (const check of checks) check() // what the compile would have run
    const values = flatten(inputs)
    const parameters = statement.sources.map((s) => ('input' in s ? values[s.input] : s.constant))
    return CompiledQuery.raw(statement.sql, parameters)
  }

  #build(build: (inputs: ListInputs) => CompiledQuery, inputs: ListInputs): CompiledQuery {
    this.builds++
    return build(inputs)
  }

  #shapesOf<DB>(db: Kysely<DB>): { readonly shapes: Map<string, CachedStatement | null>; readonly checks: readonly (() => void)[] } {
    // the adapter and the SQL-changing plugins are shared by a database and its connections and
    // transactions; a per-request SQL-neutral plugin (an abort guard) is no part of the key
    const { key, checks } = compiledPlanKeyOf(db)
    let shapes = this.#byDatabase.get(key)
    if (!shapes) this.#byDatabase.set(key, (shapes = new Map()))
    return { shapes, checks }
  }
}
