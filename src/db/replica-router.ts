import { CompiledQuery, type Kysely } from 'kysely'
import type pg from 'pg'
import { DatabaseUnavailableError, PoolExhaustedError } from '../errors/index.js'
import { formatLsn, parseLsn } from './lsn.js'
import type { LostWritePosition, ReplicaRoutingOptions, ReplicaSkip } from './replica-routing-options.js'

/**
 * A replica that had not replayed the position a read needed within `maxWaitMs`. Thrown
 * inside the read's transaction so it rolls back; the router catches it and asks the
 * primary. Reported as a {@link ReplicaSkip} with reason `behind`.
 *
 * @example
 * ```ts
 * if (error instanceof ReplicaBehindError) console.warn(error.requiredLsn, error.replayedLsn)
 * ```
 */
export class ReplicaBehindError extends Error {
  constructor(
    readonly replica: string,
    readonly requiredLsn: string,
    readonly replayedLsn: string,
  ) {
    super(`Replica ${replica} had replayed ${replayedLsn}, the read needs ${requiredLsn}.`)
    this.name = 'ReplicaBehindError'
  }
}

/**
 * Counts of tenant reads by the database that answered, since the database was created
 * (see {@link PoolStats.reads}).
 *
 * @example
 * ```ts
 * const { replica, primary } = poolStats(upstream)!.reads!
 * console.log(`replica share ${(replica / (replica + primary)).toFixed(2)}`)
 * ```
 */
export interface ReadRoutingStats {
  /** Reads a replica answered. */
  readonly replica: number
  /** Reads the primary answered (every skip below, and reads with no replica configured or up). */
  readonly primary: number
  /** Reads sent to the primary because a replica was down. */
  readonly skippedDown: number
  /** Reads sent to the primary because a replica was behind. */
  readonly skippedBehind: number
  /** Reads sent to the primary because the shared LSN store did not answer. */
  readonly skippedLsnUnknown: number
}

/** One replica the router may send reads to. Internal. */
export interface ReplicaTarget<DB> {
  readonly db: Kysely<DB>
  readonly pool: pg.Pool
  /** `host:port/database` */
  readonly identity: string
}

/** Runs a read on a database; `prepare` runs first inside its transaction. Internal. */
export type ReadRunner<DB, T> = (db: Kysely<DB>, prepare: (conn: Kysely<DB>) => Promise<void>) => Promise<T>

/**
 * Routes a database's tenant reads between its primary and replicas, and records the commit
 * position of each tenant write (read-your-writes). Made by {@link createDatabase}; internal.
 *
 * @example
 * ```ts
 * const router = replicaRouterOf(upstream.db)
 * await router?.read(7, (db, prepare) => runInTransactionWith(db, work, options, settings, { afterStart: prepare }))
 * ```
 */
export interface ReplicaRouter<DB> {
  readonly replicas: readonly ReplicaTarget<DB>[]
  read<T>(customerId: number, run: ReadRunner<DB, T>): Promise<T>
  /** After a tenant's write transaction committed on `conn`: records its commit position. */
  afterWrite(customerId: number, conn: Kysely<DB>): Promise<void>
  stats(): ReadRoutingStats
  destroy(): Promise<void>
}

const REPLAYED = CompiledQuery.raw('select pg_last_wal_replay_lsn()::text as replayed', [])
const INSERTED = CompiledQuery.raw('select pg_current_wal_insert_lsn()::text as lsn', [])
const MAX_TENANTS = 100_000

const identities = new WeakMap<object, string>()

/**
 * The database that answers on a connection's Kysely (`host:port/database`), when the
 * replica router set it up; `undefined` otherwise. Count caches key by it. Internal.
 *
 * @example
 * ```ts
 * const answering = databaseIdentityOf(trx) ?? ''
 * ```
 */
export function databaseIdentityOf(db: object): string | undefined {
  return identities.get(db)
}

/**
 * `host:port/database` of a connection string: the identity of a database in count-cache
 * keys (credentials never included). Internal.
 *
 * @example
 * ```ts
 * databaseIdentity('postgres://app:secret@db-1:5432/claims') // 'db-1:5432/claims'
 * ```
 */
export function databaseIdentity(connectionString: string): string {
  try {
    const url = new URL(connectionString)
    return `${url.hostname}:${url.port || '5432'}${url.pathname}`
  } catch {
    return 'database'
  }
}

function isDown(error: unknown): boolean {
  return error instanceof DatabaseUnavailableError || error instanceof PoolExhaustedError
}

/**
 * A router over a primary and its replicas. Internal: {@link createDatabase} makes it.
 *
 * @example
 * ```ts
 * const router = createReplicaRouter(primaryDb, 'db-0:5432/app', [{ db, pool, identity: 'db-1:5432/app' }], {})
 * ```
 */
export function createReplicaRouter<DB>(
  primary: Kysely<DB>,
  primaryIdentity: string,
  replicas: readonly ReplicaTarget<DB>[],
  options: ReplicaRoutingOptions,
  schema: string,
): ReplicaRouter<DB> {
  const maxWaitMs = options.maxWaitMs ?? 250
  const maxLag = BigInt(options.maxLagBytes ?? 16 * 1024 * 1024)
  const cooldownMs = options.cooldownMs ?? 5000
  const store = options.lsnStore
  const tenants = new Map<number, bigint>()
  let floor = 0n // the highest position evicted from `tenants`: every tenant needs at least it
  let newest = 0n // the newest write position this process knows of
  const downUntil = new Map<string, number>()
  let next = 0
  const counts = { replica: 0, primary: 0, skippedDown: 0, skippedBehind: 0, skippedLsnUnknown: 0 }
  const tell = (skip: ReplicaSkip) => {
    try {
      options.onReplicaSkipped?.(skip)
    } catch {
      // a logger that throws must not fail the read
    }
  }
  const lost = (event: LostWritePosition) => {
    try {
      options.onWritePositionLost?.(event)
    } catch {
      // a logger that throws must not fail the (committed) write
    }
  }
  const keyOf = (customerId: number) => `${schema}:${customerId}`
  const note = (customerId: number, lsn: bigint) => {
    if (lsn > newest) newest = lsn
    const known = tenants.get(customerId)
    if (known !== undefined && known >= lsn) return
    tenants.delete(customerId)
    tenants.set(customerId, lsn)
    while (tenants.size > MAX_TENANTS) {
      const [oldest, at] = tenants.entries().next().value as [number, bigint]
      tenants.delete(oldest)
      if (at > floor) floor = at
    }
  }
  /** The position a replica must have replayed to answer this tenant; `undefined` when unknowable. */
  const required = async (customerId: number): Promise<bigint | undefined> => {
    let lsn = tenants.get(customerId) ?? floor
    if (store) {
      try {
        const shared = await store.get(keyOf(customerId))
        if (shared !== undefined) {
          if (shared > lsn) lsn = shared
          if (shared > newest) newest = shared
        }
      } catch (error) {
        tell({ reason: 'lsn-unknown', error })
        return undefined
      }
    }
    const lagBound = newest - maxLag
    return lagBound > lsn ? lagBound : lsn
  }
  const pick = (): ReplicaTarget<DB> | undefined => {
    const now = Date.now()
    for (let i = 0; i < replicas.length; i++) {
      const replica = replicas[(next + i) % replicas.length]!
      if ((downUntil.get(replica.identity) ?? 0) <= now) {
        next = (next + i + 1) % replicas.length
        return replica
      }
    }
    return undefined
  }
  const waitForReplay = async (conn: Kysely<DB>, replica: ReplicaTarget<DB>, need: bigint) => {
    if (need <= 0n) return
    const deadline = Date.now() + maxWaitMs
    for (let delay = 1; ; delay = Math.min(delay * 2, 20)) {
      const { rows } = await conn.executeQuery<{ replayed: string | null }>(REPLAYED)
      const replayed = rows[0]?.replayed
      if (replayed === null || replayed === undefined) return // not in recovery: as current as a primary
      if (parseLsn(replayed) >= need) return
      if (Date.now() + delay > deadline) throw new ReplicaBehindError(replica.identity, formatLsn(need), replayed)
      await new Promise((resolve) => setTimeout(resolve, delay))
    }
  }
  const onPrimary = <T>(run: ReadRunner<DB, T>): Promise<T> => {
    counts.primary++
    return run(primary, async (conn) => void identities.set(conn, primaryIdentity))
  }
  return Object.freeze({
    replicas,
    async read<T>(customerId: number, run: ReadRunner<DB, T>): Promise<T> {
      const replica = pick()
      if (!replica) return onPrimary(run)
      const need = await required(customerId)
      if (need === undefined) {
        counts.skippedLsnUnknown++
        return onPrimary(run)
      }
      try {
        const result = await run(replica.db, async (conn) => {
          identities.set(conn, replica.identity)
          await waitForReplay(conn, replica, need)
        })
        counts.replica++
        return result
      } catch (error) {
        if (error instanceof ReplicaBehindError) {
          counts.skippedBehind++
          downUntil.set(replica.identity, Date.now() + cooldownMs)
          tell({ reason: 'behind', replica: replica.identity, requiredLsn: error.requiredLsn, replayedLsn: error.replayedLsn })
        } else if (isDown(error)) {
          counts.skippedDown++
          downUntil.set(replica.identity, Date.now() + cooldownMs)
          tell({ reason: 'down', replica: replica.identity, error })
        } else {
          throw error
        }
      }
      return onPrimary(run)
    },
    async afterWrite(customerId: number, conn: Kysely<DB>): Promise<void> {
      const tenantKey = keyOf(customerId)
      const inserted = async (on: Kysely<DB>) => parseLsn((await on.executeQuery<{ lsn: string }>(INSERTED)).rows[0]!.lsn)
      let lsn: bigint
      try {
        lsn = await inserted(conn)
      } catch {
        // committed; its connection failed right after: any primary connection's insert position is past the commit
        try {
          lsn = await inserted(primary)
        } catch (error) {
          lost({ stage: 'position', tenantKey, customerId, error })
          return
        }
      }
      note(customerId, lsn)
      if (!store) return
      try {
        await store.raise(tenantKey, lsn)
      } catch (error) {
        lost({ stage: 'store', tenantKey, customerId, lsn: formatLsn(lsn), error })
      }
    },
    stats: () => Object.freeze({ ...counts }),
    destroy: async () => {
      await Promise.all(replicas.map((r) => r.db.destroy()))
    },
  })
}

interface RouterLink {
  readonly router: ReplicaRouter<unknown>
  /** `false` on a pinned session (`withDedicatedConnection`): its reads stay on it, its writes are recorded. */
  readonly routeReads: boolean
}

const routers = new WeakMap<object, RouterLink>()

/**
 * Links a Kysely instance to the replica router of its database. Internal.
 *
 * @example
 * ```ts
 * linkReplicaRouter(db, router, true)
 * ```
 */
export function linkReplicaRouter<DB>(db: Kysely<DB>, router: ReplicaRouter<DB>, routeReads: boolean): void {
  routers.set(db, { router: router as unknown as ReplicaRouter<unknown>, routeReads })
}

/**
 * The replica router of a database's Kysely instance (and whether its reads may be routed),
 * or `undefined` when it has no replicas. Internal.
 *
 * @example
 * ```ts
 * const link = replicaRouterOf(upstream.db)
 * ```
 */
export function replicaRouterOf<DB>(db: Kysely<DB>): { readonly router: ReplicaRouter<DB>; readonly routeReads: boolean } | undefined {
  return routers.get(db) as { router: ReplicaRouter<DB>; routeReads: boolean } | undefined
}
