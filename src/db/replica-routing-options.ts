/**
 * Where the commit positions (WAL LSNs) of tenants' writes are shared between processes, so
 * a read answered by any instance sees a write acknowledged by any other. Made by
 * {@link createRedisLsnStore}; anything with these two methods works.
 *
 * `raise` keeps the highest position per tenant (never lowers it); `get` answers it, or
 * `undefined` when none is known. Either may reject (store down): a read then goes to the
 * primary, which is always current.
 *
 * @example
 * ```ts
 * const store: ReplicaLsnStore = createRedisLsnStore(new Redis(process.env.REDIS_URL), { prefix: 'myapp:lsn:' })
 * ```
 */
export interface ReplicaLsnStore {
  /** The highest write position recorded for this tenant key, in WAL bytes. */
  get(tenantKey: string): Promise<bigint | undefined>
  /** Records a write position for this tenant key unless a higher one is recorded. */
  raise(tenantKey: string, lsn: bigint): Promise<void>
}

/**
 * Why a read that could have gone to a replica went to the primary (see
 * {@link ReplicaRoutingOptions.onReplicaSkipped}):
 *
 * - `down`: the replica refused or dropped the connection, or no connection came within
 *   `connectTimeoutMs`; it is not asked again for `cooldownMs`.
 * - `behind`: it had not replayed the tenant's last write (or was more than `maxLagBytes`
 *   behind the newest write this process knows of) and did not catch up within `maxWaitMs`;
 *   it is not asked again for `cooldownMs`.
 * - `lsn-unknown`: the shared {@link ReplicaLsnStore} did not answer, so no replica can be
 *   proven current for the tenant.
 *
 * @example
 * ```ts
 * const reason: ReplicaSkipReason = 'behind'
 * ```
 */
export type ReplicaSkipReason = 'down' | 'behind' | 'lsn-unknown'

/**
 * One read sent to the primary instead of a replica, told to
 * {@link ReplicaRoutingOptions.onReplicaSkipped}.
 *
 * @example
 * ```ts
 * const skip: ReplicaSkip = { reason: 'behind', replica: '10.0.0.7:5432/app', requiredLsn: '0/3000148', replayedLsn: '0/3000060' }
 * ```
 */
export interface ReplicaSkip {
  readonly reason: ReplicaSkipReason
  /** The replica skipped (`host:port/database`); absent for `lsn-unknown`. */
  readonly replica?: string
  /** The position the read needed (`pg_lsn` text), for `behind`. */
  readonly requiredLsn?: string
  /** The position the replica had replayed when it gave up, for `behind`. */
  readonly replayedLsn?: string
  /** The connection error, for `down`; the store's error, for `lsn-unknown`. */
  readonly error?: unknown
}

/**
 * A tenant write whose commit position could not be recorded, told to
 * {@link ReplicaRoutingOptions.onWritePositionLost}. The write is committed and acknowledged
 * all the same. `stage` says what failed:
 *
 * - `store`: the shared {@link ReplicaLsnStore} refused the raise or did not answer within its
 *   timeout. This process still knows the position (its own reads stay read-your-writes);
 *   other instances do not, until the tenant's next recorded write: a read of this tenant
 *   there may be answered by a replica that has not replayed this write (a stale read, for
 *   as long as that replica lags, normally milliseconds). `lsn` is the lost position.
 * - `position`: no connection to the primary answered `pg_current_wal_insert_lsn()` after the
 *   commit (the write's own connection, then one from the pool). Neither this process nor
 *   others know the position; `lsn` is absent.
 *
 * @example
 * ```ts
 * const lost: LostWritePosition = { stage: 'store', tenantKey: 'upstream:7', customerId: 7, lsn: '0/3000148', error: new Error('Redis did not answer within 200 ms.') }
 * ```
 */
export interface LostWritePosition {
  readonly stage: 'store' | 'position'
  /** The tenant key in the store (`schema:customerId`). */
  readonly tenantKey: string
  readonly customerId: number
  /** The commit position (`pg_lsn` text), for `store`. */
  readonly lsn?: string
  /** The store's error, or the database's. */
  readonly error: unknown
}

/**
 * How tenant reads are routed to replicas ({@link CreateDatabaseOptions.replicas}).
 *
 * @example
 * ```ts
 * const routing: ReplicaRoutingOptions = {
 *   maxWaitMs: 200, // wait at most 200 ms for a replica to replay the tenant's last write, then use the primary
 *   maxLagBytes: 16 * 1024 * 1024,
 *   cooldownMs: 5000,
 *   lsnStore: createRedisLsnStore(redis, { prefix: 'myapp:lsn:' }), // read-your-writes across processes
 *   onReplicaSkipped: (skip) => logger.warn(skip, 'replica skipped'),
 *   onWritePositionLost: (lost) => logger.warn(lost, 'write position not shared: other instances may read it stale from a replica'),
 * }
 * ```
 */
export interface ReplicaRoutingOptions {
  /** How long a read waits for a replica to replay the tenant's last write before it goes to the primary, in ms. Default 250. */
  readonly maxWaitMs?: number
  /** A replica further behind the newest write this process knows of is treated as behind. Default 16 MiB of WAL. */
  readonly maxLagBytes?: number
  /** How long a replica found down or behind is left out, in ms. Default 5000. */
  readonly cooldownMs?: number
  /** How long a read waits for a replica connection before the replica counts as down, in ms. Default 1000. */
  readonly connectTimeoutMs?: number
  /** Shares tenants' write positions between processes (Redis: {@link createRedisLsnStore}). Without it, read-your-writes holds within one process. */
  readonly lsnStore?: ReplicaLsnStore
  /** Told of each read sent to the primary instead of a replica. Never throw here. */
  readonly onReplicaSkipped?: (skip: ReplicaSkip) => void
  /** Told of each committed tenant write whose position was not recorded (see {@link LostWritePosition}). Never throw here. */
  readonly onWritePositionLost?: (lost: LostWritePosition) => void
}
