import { z } from 'zod'
import type { CreateDatabaseOptions } from '@upstreamjs/upstream/db'

/**
 * A deployment variable with a bad value. `variable` names it; the message says what was
 * expected and never repeats the value (a URL may hold a password, a cursor secret is a secret).
 *
 * @example
 * ```ts
 * try {
 *   readDeploymentConfig({ DATABASE_POOL_SIZE: 'ten' })
 * } catch (e) {
 *   if (e instanceof DeploymentConfigError) console.error(e.variable, e.message) // DATABASE_POOL_SIZE ...
 * }
 * ```
 */
export class DeploymentConfigError extends Error {
  override readonly name = 'DeploymentConfigError'
  /** The environment variable at fault, e.g. `DATABASE_POOL_SIZE`. */
  readonly variable: string

  constructor(variable: string, problem: string, options?: ErrorOptions) {
    super(`${variable}: ${problem}`, options)
    this.variable = variable
  }
}

/**
 * How one process of a deployment connects: what {@link readDeploymentConfig} reads.
 *
 * @example
 * ```ts
 * const config: DeploymentConfig = readDeploymentConfig(process.env)
 * config.replicaUrls // ['postgres://app@replica-1/claims', 'postgres://app@replica-2/claims']
 * ```
 */
export interface DeploymentConfig {
  /** `DATABASE_URL`: the primary (may be PgBouncer in transaction mode). Unset: the embedded demo database. */
  readonly databaseUrl: string | undefined
  /** `DATABASE_MIGRATION_URL`: a direct connection for migrations and the job queue's LISTEN. Default `databaseUrl`. */
  readonly migrationUrl: string | undefined
  /** `DATABASE_REPLICA_URLS`, comma-separated: streaming replicas for tenant reads. Default none. */
  readonly replicaUrls: readonly string[]
  /** `DATABASE_POOL_SIZE`: connections per pool of this process. Default: the library's (pg's 10). */
  readonly poolSize: number | undefined
  /** `REDIS_URL`: the Redis shared by every instance (throttle buckets, count cache). Default none. */
  readonly redisUrl: string | undefined
  /** `UPSTREAM_REDIS_PREFIX`: this deployment's namespace on that Redis. Default `upstream:`. */
  readonly redisPrefix: string
  /** `UPSTREAM_CURSOR_SECRET`, comma-separated: the first signs list cursors, every one verifies. Default none (random per process). */
  readonly cursorSecrets: readonly string[]
  /** `PUBLIC_BASE_URL`: the origin of `next`/`previous` links. Default none (the request's own). */
  readonly publicBaseUrl: string | undefined
}

const unset = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v)

function urlWith(protocols: readonly string[], what: string) {
  return z.string().refine(
    (raw) => {
      try {
        return protocols.includes(new URL(raw).protocol)
      } catch {
        return false
      }
    },
    { message: `must be ${what} (${protocols.map((p) => `${p}//`).join(' or ')}...)` },
  )
}

const postgresUrl = urlWith(['postgres:', 'postgresql:'], 'a PostgreSQL URL')

const list = (item: z.ZodType<string, string>) =>
  z
    .string()
    .transform((raw) => raw.split(',').map((part) => part.trim()))
    .pipe(z.array(z.string().min(1, { message: 'has an empty entry (two commas in a row, or a trailing comma)' }).pipe(item)))

const SCHEMA = z.object({
  DATABASE_URL: z.preprocess(unset, postgresUrl.optional()),
  DATABASE_MIGRATION_URL: z.preprocess(unset, postgresUrl.optional()),
  DATABASE_REPLICA_URLS: z.preprocess(unset, list(postgresUrl).optional()),
  DATABASE_POOL_SIZE: z.preprocess(
    unset,
    z
      .string()
      .regex(/^\d+$/, { message: 'must be a whole number of connections, 1 to 1000' })
      .transform(Number)
      .pipe(z.number().int().min(1, { message: 'must be at least 1' }).max(1000, { message: 'must be at most 1000' }))
      .optional(),
  ),
  REDIS_URL: z.preprocess(unset, urlWith(['redis:', 'rediss:'], 'a Redis URL').optional()),
  UPSTREAM_REDIS_PREFIX: z.preprocess(
    unset,
    z
      .string()
      .max(200, { message: 'must be at most 200 characters' })
      .regex(/^[^\s\p{Cc}]+$/u, { message: 'must have no whitespace (e.g. "billing-prod:")' })
      .default('upstream:'),
  ),
  UPSTREAM_CURSOR_SECRET: z.preprocess(
    unset,
    list(z.string().refine((s) => Buffer.byteLength(s, 'utf8') >= 16, { message: 'has a secret shorter than 16 bytes' })).optional(),
  ),
  PUBLIC_BASE_URL: z.preprocess(
    unset,
    urlWith(['http:', 'https:'], 'an http(s) origin')
      .refine(
        (raw) => {
          if (!URL.canParse(raw)) return true // the check above already said so
          const url = new URL(raw)
          return (url.pathname === '/' || url.pathname === '') && !url.search && !url.hash && !url.username && !url.password
        },
        { message: 'must be an origin such as https://api.example.com (no path, query or credentials)' },
      )
      .optional(),
  ),
})

/**
 * Reads and checks the deployment variables every example server (Express, Koa) and the
 * example worker share; the README documents them in one table. Empty counts as unset.
 * A bad value throws {@link DeploymentConfigError} naming the variable, before anything
 * connects.
 *
 * - `DATABASE_URL`, `DATABASE_MIGRATION_URL` (default `DATABASE_URL`), `DATABASE_REPLICA_URLS`
 *   (comma-separated): `postgres://` or `postgresql://` URLs; replicas need a primary;
 * - `DATABASE_POOL_SIZE`: 1 to 1000;
 * - `REDIS_URL` (`redis://`, `rediss://`) and `UPSTREAM_REDIS_PREFIX` (default `upstream:`):
 *   throttle buckets and counts live under `<prefix>throttle:` and `<prefix>count:`;
 * - `UPSTREAM_CURSOR_SECRET`: comma-separated secrets of at least 16 bytes each;
 * - `PUBLIC_BASE_URL`: an http(s) origin.
 *
 * @example
 * ```ts
 * const config = readDeploymentConfig({ DATABASE_URL: 'postgres://app@db/claims', UPSTREAM_CURSOR_SECRET: 'new-secret-of-32-bytes..........,old-secret-of-32-bytes..........' })
 * config.migrationUrl  // 'postgres://app@db/claims'
 * config.cursorSecrets // ['new-secret-of-32-bytes..........', 'old-secret-of-32-bytes..........']: the first signs
 * readDeploymentConfig({ DATABASE_POOL_SIZE: '0' }) // throws DeploymentConfigError: 'DATABASE_POOL_SIZE: must be at least 1'
 * ```
 */
export function readDeploymentConfig(env: NodeJS.ProcessEnv = process.env): DeploymentConfig {
  const parsed = SCHEMA.safeParse(env)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const variable = String(issue?.path[0] ?? 'environment')
    const entry = typeof issue?.path[1] === 'number' ? ` (entry ${issue.path[1] + 1})` : ''
    // the message only: zod's issue may quote the value (a password, a secret)
    throw new DeploymentConfigError(variable, `${issue?.message ?? 'is invalid'}${entry}`, { cause: new Error(`zod issue: ${issue?.code ?? 'unknown'}`) })
  }
  const v = parsed.data
  const replicaUrls = v.DATABASE_REPLICA_URLS ?? []
  if (replicaUrls.length > 0 && v.DATABASE_URL === undefined) {
    throw new DeploymentConfigError('DATABASE_REPLICA_URLS', 'needs DATABASE_URL (the primary that takes the writes)')
  }
  if (v.DATABASE_MIGRATION_URL !== undefined && v.DATABASE_URL === undefined) {
    throw new DeploymentConfigError('DATABASE_MIGRATION_URL', 'needs DATABASE_URL (the connection the application itself uses)')
  }
  return Object.freeze({
    databaseUrl: v.DATABASE_URL,
    migrationUrl: v.DATABASE_MIGRATION_URL ?? v.DATABASE_URL,
    replicaUrls: Object.freeze(replicaUrls),
    poolSize: v.DATABASE_POOL_SIZE,
    redisUrl: v.REDIS_URL,
    redisPrefix: v.UPSTREAM_REDIS_PREFIX,
    cursorSecrets: Object.freeze(v.UPSTREAM_CURSOR_SECRET ?? []),
    publicBaseUrl: v.PUBLIC_BASE_URL,
  })
}

/**
 * The `createDatabase` options of a deployment's application pool: the primary, the pool size
 * (`fallbackPoolSize` when `DATABASE_POOL_SIZE` is unset) and the replicas
 * (`DATABASE_REPLICA_URLS`; their routing options, with the Redis store of write positions, come
 * from `replicasFromEnv`).
 *
 * @example
 * ```ts
 * const upstream = await createDatabase<ClaimsDatabase>({ ...applicationDatabaseOptions(config), schema })
 * ```
 */
export function applicationDatabaseOptions(config: Pick<DeploymentConfig, 'databaseUrl' | 'poolSize' | 'replicaUrls'>, fallbackPoolSize?: number): Pick<CreateDatabaseOptions, 'connectionString' | 'pool' | 'replicas'> {
  const max = config.poolSize ?? fallbackPoolSize
  return {
    ...(config.databaseUrl ? { connectionString: config.databaseUrl } : {}),
    ...(max !== undefined ? { pool: { max } } : {}),
    ...(config.replicaUrls.length > 0 ? { replicas: config.replicaUrls } : {}),
  }
}
