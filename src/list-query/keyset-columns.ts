import { sql, type SelectQueryBuilder } from 'kysely'
import type { SortKey } from './apply-ordering.js'

const KEY_PREFIX = '__upstream_k'

/**
 * Adds the text form (`::text`) of every sort key to a query's selection, under reserved
 * names, so a page can name its boundary rows (cursor pages, keyset export batches).
 *
 * @example
 * ```ts
 * const q = withKeyColumns(spec.query(db), sortKeys(spec.settings, query.ordering))
 * const { rows, keys } = stripKeyColumns(await q.execute(), 2)
 * ```
 */
export function withKeyColumns<DB, TB extends keyof DB, O>(qb: SelectQueryBuilder<DB, TB, O>, keys: readonly SortKey[]): SelectQueryBuilder<DB, TB, O> {
  return keys.reduce((q, k, i) => q.select(sql<string | null>`${sql.ref(k.column)}::text`.as(`${KEY_PREFIX}${i}`)) as unknown as SelectQueryBuilder<DB, TB, O>, qb)
}

/**
 * Splits rows selected with {@link withKeyColumns} into the rows without the key columns and
 * each row's key values (text, `null` for NULL).
 *
 * @example
 * ```ts
 * const { rows, keys } = stripKeyColumns(fetched, 2)
 * keys.at(-1) // ['2026-01-31', '812']: the position after the last row
 * ```
 */
export function stripKeyColumns<O>(rows: readonly O[], n: number): { rows: O[]; keys: (string | null)[][] } {
  const keys: (string | null)[][] = []
  const names = Array.from({ length: n }, (_, i) => `${KEY_PREFIX}${i}`)
  // the rows of one result share their columns: list them once
  const fields = rows.length === 0 ? [] : Object.keys(rows[0] as object).filter((name) => !names.includes(name))
  const out = rows.map((r) => {
    const source = r as Record<string, unknown>
    // a fresh object without the key columns (not `delete`, which turns objects into slow dictionaries)
    const copy: Record<string, unknown> = {}
    for (const name of fields) copy[name] = source[name]
    const k: (string | null)[] = []
    for (const name of names) k.push((source[name] as string | null | undefined) ?? null)
    keys.push(k)
    return copy as O
  })
  return { rows: out, keys }
}
