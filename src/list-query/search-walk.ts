import { CompiledQuery } from 'kysely'
import { shiftPlaceholders } from './compiled-sql.js'

/** The reserved column of a search walk: whether the walked row matches the search. */
export const WALK_MATCH = '__upstream_match'

/**
 * One statement for a searched page that first walks the list in its own order and only then,
 * if the walk did not fill the page, asks the search index.
 *
 * `walk` is the list's query with its filters but without the search, in the page's order, the
 * search as a boolean column {@link WALK_MATCH}, limited to the rows the walk may read (the
 * spec's `searchWalk`). `fallback` is the page as it runs without a walk (the search through its
 * index, every match collected and sorted), `limit`/`offset` inside. The walk's first `limit`
 * matches after `offset` are the page exactly when there are `limit` of them (every row before
 * them in the order was read); with fewer, the fallback runs. Its branch sits behind a one-time
 * filter, so PostgreSQL does not start it when the walk filled the page.
 *
 * A frequent term (the index would return thousands of rows to sort) fills its page within a
 * few hundred rows of the ordering's index; a rare one costs the walk and then the index.
 * The rows carry {@link WALK_MATCH}: drop it before presenting them.
 *
 * @example
 * ```ts
 * walkOrFallback(walkQuery.compile(), pageQuery.compile(), 26, 0)
 * // with upstream_walk as (...), upstream_hit as (select * from upstream_walk where __upstream_match limit 26 offset 0)
 * // select * from upstream_hit where (select count(*) from upstream_hit) = 26
 * // union all select upstream_fallback.*, true from (...) as upstream_fallback where (select count(*) from upstream_hit) < 26
 * ```
 */
export function walkOrFallback(walk: CompiledQuery, fallback: CompiledQuery, limit: number, offset: number): CompiledQuery {
  if (!Number.isSafeInteger(limit) || limit < 1 || !Number.isSafeInteger(offset) || offset < 0) throw new TypeError(`walkOrFallback: bad limit ${limit} or offset ${offset}`)
  const shifted = shiftPlaceholders(fallback.sql, walk.parameters.length)
  const text =
    `with upstream_walk as (${walk.sql}), ` +
    `upstream_hit as (select * from upstream_walk where ${WALK_MATCH} limit ${limit} offset ${offset}) ` +
    `select * from upstream_hit where (select count(*) from upstream_hit) = ${limit} ` +
    `union all ` +
    `select upstream_fallback.*, true as ${WALK_MATCH} from (${shifted}) as upstream_fallback where (select count(*) from upstream_hit) < ${limit}`
  return CompiledQuery.raw(text, [...walk.parameters, ...fallback.parameters])
}

/**
 * The rows without {@link WALK_MATCH} (fresh objects: `delete` would turn them into slow dictionaries).
 *
 * @example
 * ```ts
 * withoutWalkMatch([{ id: 1, __upstream_match: true }]) // [{ id: 1 }]
 * ```
 */
export function withoutWalkMatch<O>(rows: readonly O[]): O[] {
  if (rows.length === 0) return []
  const fields = Object.keys(rows[0] as object).filter((name) => name !== WALK_MATCH)
  return rows.map((r) => {
    const source = r as Record<string, unknown>
    const copy: Record<string, unknown> = {}
    for (const name of fields) copy[name] = source[name]
    return copy as O
  })
}
