import { sql, type RawBuilder, type SqlBool } from 'kysely'
import type { SortKey } from './apply-ordering.js'
import type { QueryPiece } from './query-piece.js'

/**
 * A cursor position: the text form (`::text`) of each sort key's value in the boundary row; `null` for NULL.
 *
 * @example
 * ```ts
 * const after: KeysetValues = ['2025-01-31', '812'] // service_date::text and id::text of the last row shown
 * const keys = [{ column: 'service_date', direction: 'desc', nullable: false }, { column: 'id', direction: 'desc', nullable: false }] as const
 * const next = await db.selectFrom('claim_records').selectAll().where(keysetPredicate(keys, after))
 *   .orderBy('service_date', 'desc').orderBy('id', 'desc').limit(50).execute()
 * ```
 */
export type KeysetValues = readonly (string | null)[]

function after(k: SortKey, v: string | null): RawBuilder<SqlBool> | undefined {
  const col = sql.ref(k.column)
  if (k.direction === 'asc') {
    if (v === null) return undefined // nothing sorts after NULL ascending
    return k.nullable ? sql<SqlBool>`(${col} > ${v} or ${col} is null)` : sql<SqlBool>`${col} > ${v}`
  }
  if (v === null) return sql<SqlBool>`${col} is not null`
  return sql<SqlBool>`${col} < ${v}`
}

function equal(k: SortKey, v: string | null): RawBuilder<SqlBool> {
  return v === null ? sql<SqlBool>`${sql.ref(k.column)} is null` : sql<SqlBool>`${sql.ref(k.column)} = ${v}`
}

/**
 * The keyset condition "strictly after `values` in the order of `keys`". Where every key has
 * one direction and none is nullable it is one row-value comparison that a composite b-tree
 * index serves directly (`("service_date", "id") < ($1, $2)`); otherwise the expanded,
 * NULL-aware form `(a > $1) or (a = $1 and b < $2) or ...`.
 *
 * @example
 * ```ts
 * keysetPredicate([{ column: 'service_date', direction: 'desc', nullable: false }, { column: 'id', direction: 'desc', nullable: false }], ['2025-01-31', '812'])
 * // ("service_date", "id") < ($1, $2)
 * ```
 */
export function keysetPredicate(keys: readonly SortKey[], values: KeysetValues): RawBuilder<SqlBool> {
  if (keys.length !== values.length) throw new TypeError('keysetPredicate: one value per key is needed')
  const uniform = keys.every((k) => k.direction === keys[0]!.direction && !k.nullable) && values.every((v) => v !== null)
  if (uniform) {
    const op = sql.raw(keys[0]!.direction === 'asc' ? '>' : '<')
    if (keys.length === 1) return sql<SqlBool>`${sql.ref(keys[0]!.column)} ${op} ${values[0]}`
    return sql<SqlBool>`(${sql.join(keys.map((k) => sql.ref(k.column)))}) ${op} (${sql.join(values)})`
  }
  const branches: RawBuilder<SqlBool>[] = []
  for (let i = 0; i < keys.length; i++) {
    const last = after(keys[i]!, values[i]!)
    if (!last) continue
    const eqs = keys.slice(0, i).map((k, j) => equal(k, values[j]!))
    branches.push(eqs.length === 0 ? last : sql<SqlBool>`(${sql.join([...eqs, last], sql` and `)})`)
  }
  if (branches.length === 0) return sql<SqlBool>`false`
  return branches.length === 1 ? branches[0]! : sql<SqlBool>`(${sql.join(branches, sql` or `)})`
}

/**
 * Keeps the rows strictly after a cursor position.
 *
 * @example
 * ```ts
 * qb.$call(applyKeyset(keys, ['2025-01-31', '812']))
 * ```
 */
export function applyKeyset(keys: readonly SortKey[], values: KeysetValues): QueryPiece {
  return (qb) => qb.where(keysetPredicate(keys, values))
}
