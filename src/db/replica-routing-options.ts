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
}
