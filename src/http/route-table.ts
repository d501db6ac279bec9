import type { HttpMethod, Operation, RouteParams } from './operation.js'

/**
 * One path of the table and its operations by method (built by {@link routeTable}).
 *
 * @example
 * ```ts
 * const route: Route<TenantScope> = { path: '/tasks/{id}/', segments: ['tasks', '{id}'], operations: { GET: getTask } }
 * ```
 */
export interface Route<Scope> {
  readonly path: string
  readonly segments: readonly string[]
  readonly operations: Readonly<Partial<Record<HttpMethod, Operation<Scope>>>>
}

/**
 * A matched route and its parameters.
 *
 * @example
 * ```ts
 * const match = matchRoute(routeTable(operations), '/tasks/12/') // { route, params: { id: 12, ids: { id: 12 }, strings: {} } }
 * ```
 */
export interface RouteMatch<Scope> {
  readonly route: Route<Scope>
  readonly params: RouteParams
}

/** Error of a table that two operations claim the same method and path, or the same id. */
function duplicate(what: string): Error {
  return new Error(`Operations table: ${what} is declared twice.`)
}

const isIdName = (name: string) => name === 'id' || name.endsWith('_id')

/**
 * Groups operations by path, in declaration order (literal segments win over parameters at
 * match time). Refuses two operations with the same method and path, or the same id.
 *
 * @example
 * ```ts
 * const routes = routeTable([...claimsOperations(), ...myOperations])
 * ```
 */
export function routeTable<Scope>(operations: readonly Operation<Scope>[]): readonly Route<Scope>[] {
  const byPath = new Map<string, Partial<Record<HttpMethod, Operation<Scope>>>>()
  const ids = new Set<string>()
  for (const operation of operations) {
    if (ids.has(operation.operationId)) throw duplicate(`operation id ${operation.operationId}`)
    ids.add(operation.operationId)
    const path = operation.path
    const methods = byPath.get(path) ?? {}
    if (methods[operation.method]) throw duplicate(`${operation.method} ${path}`)
    methods[operation.method] = operation
    byPath.set(path, methods)
  }
  const routes = [...byPath].map(([path, methods]) =>
    Object.freeze({ path, segments: Object.freeze(path.split('/').filter((s) => s.length > 0)), operations: Object.freeze(methods) }),
  )
  // literal segments before parameters, position by position, so /uploads/statistics/ wins over /uploads/{id}/
  const rank = (route: Route<Scope>) => route.segments.map((s) => (s.startsWith('{') ? '1' : '0')).join('')
  return Object.freeze([...routes].sort((a, b) => (rank(a) < rank(b) ? -1 : rank(a) > rank(b) ? 1 : 0)))
}

const ID = /^[0-9]{1,16}$/

/**
 * Finds the route of a path (relative to the base path). Trailing slash optional; an id
 * parameter matches only a positive safe integer, so `/uploads/abc/` matches nothing (404, as
 * in DRF, never a 500).
 *
 * @example
 * ```ts
 * matchRoute(routes, '/uploads/12') // { route: <'/uploads/{id}/'>, params: { id: 12, ... } }
 * matchRoute(routes, '/uploads/x/') // undefined
 * ```
 */
export function matchRoute<Scope>(routes: readonly Route<Scope>[], path: string): RouteMatch<Scope> | undefined {
  const segments = path.split('/').filter((s) => s.length > 0)
  candidates: for (const route of routes) {
    const template = route.segments
    if (template.length !== segments.length) continue
    const ids: Record<string, number> = {}
    const strings: Record<string, string> = {}
    for (let i = 0; i < template.length; i++) {
      const want = template[i]!
      const got = segments[i]!
      if (want.startsWith('{') && want.endsWith('}')) {
        const name = want.slice(1, -1)
        if (isIdName(name)) {
          if (!ID.test(got)) continue candidates
          const n = Number(got)
          if (!Number.isSafeInteger(n) || n < 1) continue candidates
          ids[name] = n
        } else {
          strings[name] = got
        }
      } else if (want !== got) {
        continue candidates
      }
    }
    return { route, params: Object.freeze({ id: ids.id ?? 0, ids: Object.freeze(ids), strings: Object.freeze(strings) }) }
  }
  return undefined
}
