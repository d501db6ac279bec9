import { AsyncLocalStorage } from 'node:async_hooks'
import { CompiledQuery, type Kysely } from 'kysely'
import { DEFAULT_READ_TIMEOUTS, type UpstreamDatabase } from '../db/index.js'
import { quoteIdent, replicaRouterOf, supportsMultiStatement } from '../db/internal.js'
import { RequestAbortedError, toDatabaseError } from '../errors/index.js'
import { inSpan, TRACE_ATTRIBUTES } from '../tracing/index.js'
import { withAbortGuard } from '../transactions/internal.js'
import { hashApiToken } from './api-token.js'
import type { TenantReadOptions } from './for-tenant.js'
import type { ResolvedApiKey } from './resolve-api-key.js'
import { TENANT_SETTING } from './tenant-setting.js'
import { readFailure } from './tenant-read.js'

/** The read-only tenant transaction an authenticated read holds open while its request runs. */
interface AmbientRead {
  readonly db: object
  readonly customerId: number
  readonly conn: Kysely<unknown>
  readonly statementTimeoutMs: number
  readonly lockTimeoutMs: number
  /** A read in it failed: the transaction may be aborted, later reads take their own. */
  failed: boolean
  /**
   * The request's work returned (or threw): the transaction is about to end and its connection
   * to go back to the pool. Reads that still carry this context (a streamed export's later
   * batches) take their own transaction; never this connection again.
   */
  closed: boolean
  /** The tenant's data version as the start read it, in the transaction's one snapshot. */
  readonly dataVersion: string | undefined
}

const ambient = new AsyncLocalStorage<AmbientRead>()

const COMMIT = CompiledQuery.raw('commit', [])
const ROLLBACK = CompiledQuery.raw('rollback', [])
const HEX = /^[0-9a-f]{64}$/

/**
 * Whether `authenticatedRead` can serve this database: `pg` (several statements in one
 * simple-protocol round trip), not PGlite, and no read replicas (whose reads cannot join a
 * transaction on the primary).
 *
 * @example
 * ```ts
 * if (canAuthenticateInRead(upstream)) await authenticatedRead(upstream, token, run)
 * ```
 */
export function canAuthenticateInRead<DB>(upstream: UpstreamDatabase<DB>): boolean {
  // with read replicas, tenant reads go to a replica and the key lookup stays on the primary:
  // the two cannot share one transaction
  return supportsMultiStatement(upstream.db) && replicaRouterOf(upstream.db)?.routeReads !== true
}

// the key, as the statement that authenticates leaves it for a later statement of its round trip
const KEY_SETTING = 'upstream.api_key'

function startSql<DB>(upstream: UpstreamDatabase<DB>, hash: string, also: string | undefined): string {
  if (!HEX.test(hash)) throw new TypeError('not a SHA-256 hex digest')
  const t = upstream.readTimeouts ?? DEFAULT_READ_TIMEOUTS
  // every inlined value is checked: a hex digest, an identifier (role), integers
  const settings =
    `set_config('${TENANT_SETTING}', k.customer_id::text, true), ` +
    `set_config('role', '${upstream.runtimeRole}', true), set_config('statement_timeout', '${t.statementTimeoutMs}ms', true), ` +
    `set_config('lock_timeout', '${t.lockTimeoutMs}ms', true)`
  const from = `from ${quoteIdent(upstream.schema)}.authenticate_api_key('${hash}') as k`
  if (also === undefined) return `start transaction isolation level repeatable read read only; select k.customer_id, k.key_id, k.scopes, ${settings} ${from}`
  // a third statement runs once the tenant and the role are set (row-level security on): it
  // reads the key back from a transaction-local setting, next to the caller's columns
  return (
    'start transaction isolation level repeatable read read only; ' +
    `select ${settings}, set_config('${KEY_SETTING}', json_build_object('customer_id', k.customer_id, 'key_id', k.key_id, 'scopes', k.scopes)::text, true) ${from}; ` +
    `select nullif(current_setting('${KEY_SETTING}', true), '') as upstream_key, ${also}`
  )
}

/**
 * Authenticates a bearer token and opens the tenant's read-only transaction in one round
 * trip: `START TRANSACTION READ ONLY; SELECT ... set_config(tenant, role, timeouts) FROM
 * authenticate_api_key(hash)`, so the key is looked up in the database on every request (a
 * revoked key is refused at once, on every instance) and row-level security is set inside
 * the transaction from the key's own tenant. `run` gets the key (`undefined`: unknown or
 * revoked; throw, and the transaction rolls back); the first tenant reads of that tenant
 * made while it runs ({@link TenantScope.read}) run in this transaction instead of opening
 * their own. The transaction is `REPEATABLE READ`: every statement of the
 * request reads the snapshot the key lookup took, so a data version read with the key (the
 * column `dataVersionColumn` of `also`) holds for every read of the request
 * ({@link snapshotDataVersion}). Once `run` returns, the result is handed back at once and the `COMMIT` goes out
 * behind it; the connection returns to the pool when the commit is answered. Nothing
 * outlives the transaction (PgBouncer transaction mode safe: no session state, no named
 * prepared statements). With a `signal` (the HTTP request's), an abort cancels the running
 * statement in PostgreSQL, rolls the transaction back and rejects with `RequestAbortedError`.
 *
 * @example
 * ```ts
 * const page = await authenticatedRead(upstream, token, async (key) => {
 *   if (!key) throw new AuthenticationFailedError('unknown or revoked token')
 *   return listClaims(claimsTenant(upstream, key.customerId), req.query, { url })
 * })
 * ```
 */
export function authenticatedRead<DB, T>(
  upstream: UpstreamDatabase<DB>,
  token: string,
  run: (key: ResolvedApiKey | undefined, also: Readonly<Record<string, unknown>> | undefined) => Promise<T>,
  onLateError: (error: unknown) => void = () => undefined,
  signal?: AbortSignal,
  also?: string,
  dataVersionColumn?: string,
): Promise<T> {
  const start = CompiledQuery.raw(startSql(upstream, hashApiToken(token), also), [])
  const t = upstream.readTimeouts ?? DEFAULT_READ_TIMEOUTS
  // one `transaction` span, as a tenant read has, ending with the answer (the commit's span follows it)
  return inSpan('transaction', {}, (span) => {
    if (span.isRecording()) {
      span.setAttribute(TRACE_ATTRIBUTES.transactionIsolation, 'repeatable read')
      span.setAttribute(TRACE_ATTRIBUTES.transactionReadOnly, true)
      span.setAttribute(TRACE_ATTRIBUTES.transactionAttempts, 1)
    }
    return answered(upstream, start, t, run, onLateError, signal, dataVersionColumn)
  })
}

interface KeyRow {
  readonly customer_id: number | string
  readonly key_id: number | string
  readonly scopes: readonly string[]
}

/** The key of the start's answer: its row (two statements), or the setting read back with the caller's columns (three). */
function keyOf(row: Record<string, unknown> | undefined): { key: ResolvedApiKey | undefined; also: Readonly<Record<string, unknown>> | undefined } {
  if (!row) return { key: undefined, also: undefined }
  let source: KeyRow | undefined = row as unknown as KeyRow
  let also: Readonly<Record<string, unknown>> | undefined
  if ('upstream_key' in row) {
    const text = row.upstream_key
    source = typeof text === 'string' ? (JSON.parse(text) as KeyRow) : undefined
    also = row
  }
  if (!source) return { key: undefined, also: undefined }
  return { key: Object.freeze({ customerId: Number(source.customer_id), keyId: Number(source.key_id), scopes: Object.freeze([...source.scopes]) }), also }
}

function answered<DB, T>(
  upstream: UpstreamDatabase<DB>,
  start: CompiledQuery,
  t: { readonly statementTimeoutMs: number; readonly lockTimeoutMs: number },
  run: (key: ResolvedApiKey | undefined, also: Readonly<Record<string, unknown>> | undefined) => Promise<T>,
  onLateError: (error: unknown) => void,
  signal: AbortSignal | undefined,
  dataVersionColumn: string | undefined,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let answered = false
    withAbortGuard(signal, (guard) =>
      upstream.db.connection().execute(async (conn) => {
        try {
          guard?.watch()
          const { rows } = await conn.executeQuery<Record<string, unknown>>(start)
          const { key, also } = keyOf(rows[0])
          const reads = (guard ? guard.wrap(conn) : conn) as Kysely<unknown>
          const version = dataVersionColumn === undefined ? undefined : also?.[dataVersionColumn]
          const state: AmbientRead | undefined = key
            ? {
                db: upstream.db,
                customerId: key.customerId,
                conn: reads,
                statementTimeoutMs: t.statementTimeoutMs,
                lockTimeoutMs: t.lockTimeoutMs,
                failed: false,
                closed: false,
                dataVersion: typeof version === 'string' ? version : undefined,
              }
            : undefined
          let result: T
          try {
            result = state ? await ambient.run(state, () => run(key, also)) : await run(undefined, undefined)
          } finally {
            if (state) state.closed = true
          }
          if (guard?.aborted) throw guard.error() // the client is gone: nobody reads the answer
          answered = true
          resolve(result)
          await guard?.release()
          // a read-only transaction: nothing to wait for before answering
          await conn.executeQuery(COMMIT)
        } catch (error) {
          const failure = guard?.aborted ? guard.error() : error
          if (!answered) {
            answered = true
            reject(failure instanceof RequestAbortedError ? failure : toDatabaseError(failure))
          } else onLateError(failure)
          await guard?.settle() // a cancel request in flight must not reach the ROLLBACK
          const rolledBack = await conn.executeQuery(ROLLBACK).then(
            () => true,
            () => false,
          )
          if (!rolledBack) guard?.discard()
        } finally {
          await guard?.release()
        }
      }),
    )
      .catch((error: unknown) => {
        // the connection could not be had (pool exhausted, database down)
        if (!answered) {
          answered = true
          reject(toDatabaseError(error))
        } else onLateError(error)
      })
  })
}

/**
 * Runs a tenant read in the request's authenticated read transaction when there is one for
 * this database and tenant (and the read asks for no other timeouts); otherwise `undefined`.
 */
export function inAuthenticatedRead<DB, T>(
  upstream: UpstreamDatabase<DB>,
  customerId: number,
  options: TenantReadOptions,
  work: (conn: Kysely<DB>) => Promise<T>,
): Promise<T> | undefined {
  const state = ambient.getStore()
  if (!state || state.failed || state.closed || state.db !== upstream.db || state.customerId !== customerId) return undefined
  if (options.statementTimeoutMs !== undefined && options.statementTimeoutMs !== state.statementTimeoutMs) return undefined
  if (options.lockTimeoutMs !== undefined && options.lockTimeoutMs !== state.lockTimeoutMs) return undefined
  return work(state.conn as Kysely<DB>).catch((error: unknown) => {
    state.failed = true
    throw readFailure(toDatabaseError(error))
  })
}

/**
 * The tenant's data version as of the snapshot `db` reads, when `db` is the connection of an
 * authenticated read (see {@link authenticatedRead}) that read it with the key and is still
 * open and unfailed; otherwise `undefined`. A count cache compares it with its entry instead
 * of reading the version again.
 *
 * @example
 * ```ts
 * await tenant.read(async ({ db }) => snapshotDataVersion(db)) // '42' inside an authenticated GET, else undefined
 * ```
 */
export function snapshotDataVersion(db: object): string | undefined {
  // `db` must be the read's own connection: a read that took a transaction of its own has another snapshot
  const state = ambient.getStore()
  return state && state.conn === db && !state.closed && !state.failed ? state.dataVersion : undefined
}
