import type { Kysely, KyselyPlugin } from 'kysely'

/** The check of each SQL-neutral plugin, by plugin. */
const checks = new WeakMap<KyselyPlugin, () => void>()

/**
 * A Kysely plugin that never changes a query: it only runs `check` as each statement is
 * compiled (it may throw, so that the statement is never sent; the request's abort guard is
 * one). Caches of compiled statements key a database setup without these plugins, so a
 * per-request plugin does not make every compile a miss; on a hit they run the checks
 * themselves (see {@link compiledPlanKeyOf}). Internal.
 *
 * @example
 * ```ts
 * const guarded = conn.withPlugin(sqlNeutralPlugin(() => RequestAbortedError.throwIfAborted(signal)))
 * ```
 */
export function sqlNeutralPlugin(check: () => void): KyselyPlugin {
  const plugin: KyselyPlugin = {
    transformQuery(args) {
      check()
      return args.node
    },
    transformResult: async (args) => args.result,
  }
  checks.set(plugin, check)
  return plugin
}

/**
 * What a compiled statement of `db` depends on, for caches of compiled SQL: `key`, one object
 * per adapter and chain of SQL-changing plugins (the same for a database, its connections and
 * its transactions), and the checks of its SQL-neutral plugins, which a cache hit must run
 * as a compile would. Internal.
 *
 * @example
 * ```ts
 * const { key, checks } = compiledPlanKeyOf(db)
 * const hit = cache.get(key)
 * if (hit) for (const check of checks) check()
 * ```
 */
export function compiledPlanKeyOf<DB>(db: Kysely<DB>): { readonly key: object; readonly checks: readonly (() => void)[] } {
  const executor = db.getExecutor()
  let key: object = executor.adapter
  let found: (() => void)[] | undefined
  for (const plugin of executor.plugins) {
    const check = checks.get(plugin)
    if (check) (found ??= []).push(check)
    else key = chain(key, plugin)
  }
  return { key, checks: found ?? NONE }
}

const NONE: readonly (() => void)[] = Object.freeze([])

const chains = new WeakMap<object, WeakMap<object, object>>()

/** One object per pair (a, b), held as long as both are. */
function chain(a: object, b: object): object {
  let inner = chains.get(a)
  if (!inner) chains.set(a, (inner = new WeakMap()))
  let k = inner.get(b)
  if (!k) inner.set(b, (k = {}))
  return k
}
