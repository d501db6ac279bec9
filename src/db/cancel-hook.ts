import { AsyncLocalStorage } from 'node:async_hooks'
import type pg from 'pg'

/**
 * The statement-cancelling side of one connection, handed by {@link withCancelHook} to the
 * code that runs on it (`runInTransaction` when it is given a `signal`).
 *
 * @example
 * ```ts
 * await withCancelHook(async (hook) => {
 *   signal.addEventListener('abort', () => void hook.cancel(), { once: true })
 *   return db.connection().execute((conn) => work(conn))
 * })
 * ```
 */
export interface CancelHook {
  /**
   * Sends PostgreSQL a cancel request (the protocol's `CancelRequest`, on a short connection of
   * its own) for whatever statement the connection runs now; resolves once the server has
   * taken it (it closes that short connection), or after a bounded wait. Never rejects; a
   * no-op before a connection was acquired or without a `pg` client (PGlite).
   */
  cancel(): Promise<void>
  /** Whether {@link CancelHook.cancel} sent a cancel request. */
  readonly cancelled: boolean
  /**
   * Ends the connection so the pool discards it when it is released instead of lending it
   * again (used when `ROLLBACK` after a cancel failed: its state is unknown).
   */
  discard(): void
}

interface Slot {
  client?: pg.PoolClient
  pool?: pg.Pool
}

// Set by withCancelHook; read by the pool wrapper when Kysely acquires a connection in that context.
const slots = new AsyncLocalStorage<Slot>()

/** The parts of `pg`'s internal connection a cancel request needs (not in `@types/pg`). */
interface CancelConnection {
  connect(portOrPath: number | string, host?: string): void
  cancel(processID: number, secretKey: number): void
  on(event: 'connect' | 'end' | 'error', listener: (error?: Error) => void): void
  end(): void
}

/** How long `cancel()` waits for the server to take the cancel request. */
const CANCEL_WAIT_MS = 2000

let pgModule: Promise<typeof pg> | undefined

function loadPg(): Promise<typeof pg> {
  return (pgModule ??= import('pg').then((m) => m.default))
}

/**
 * Sends the protocol cancel request for `client`'s running statement, as `pg`'s own
 * `Client#cancel` does (a fresh connection with the pool's settings, TLS included, sends
 * the backend's process id and secret key). PgBouncer forwards it to the right server.
 */
async function sendCancelRequest(pool: pg.Pool, client: pg.PoolClient): Promise<void> {
  const { processID, secretKey } = client as unknown as { processID: number | null; secretKey: number | null }
  if (processID === null || secretKey === null) return
  const pgm = await loadPg()
  const canceller = new pgm.Client(pool.options)
  const con = canceller.connection as unknown as CancelConnection
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      con.end()
      resolve()
    }, CANCEL_WAIT_MS)
    timer.unref()
    const done = () => {
      clearTimeout(timer)
      resolve()
    }
    con.on('error', done)
    con.on('end', done) // the server closes the connection once it has signalled the backend
    con.on('connect', () => con.cancel(processID, secretKey))
    if (canceller.host && canceller.host.startsWith('/')) con.connect(`${canceller.host}/.s.PGSQL.${canceller.port}`)
    else con.connect(canceller.port, canceller.host)
  })
}

/**
 * Runs `work` with a {@link CancelHook} bound to the first pooled `pg` connection `work`
 * acquires (through a pool wrapped by {@link capturingPool}). Costs nothing on the wire:
 * the connection's backend process id and cancel key are known to `pg` since its handshake.
 *
 * @example
 * ```ts
 * const rows = await withCancelHook((hook) => {
 *   const onAbort = () => void hook.cancel()
 *   signal.addEventListener('abort', onAbort, { once: true })
 *   return db.connection().execute((conn) => sql`select pg_sleep(10)`.execute(conn)).finally(() => signal.removeEventListener('abort', onAbort))
 * })
 * ```
 */
export function withCancelHook<T>(work: (hook: CancelHook) => Promise<T>): Promise<T> {
  const slot: Slot = {}
  let cancelled = false
  const hook: CancelHook = {
    get cancelled() {
      return cancelled
    },
    async cancel() {
      const { client, pool } = slot
      if (!client || !pool) return
      cancelled = true
      try {
        await sendCancelRequest(pool, client)
      } catch {
        // best effort: the statement then ends by its own timeout
      }
    },
    discard() {
      const client = slot.client as (pg.PoolClient & { end(): Promise<void> }) | undefined
      // an ended client is not queryable: the pool drops it on release
      client?.end().catch(() => undefined)
    },
  }
  return slots.run(slot, () => work(hook))
}

/**
 * The pool Kysely gets: the same `pg` pool, whose `connect()` also tells a pending
 * {@link withCancelHook} which client it lent. Everything else goes to the real pool.
 *
 * @example
 * ```ts
 * const dialect = new PostgresDialect({ pool: capturingPool(pool) })
 * ```
 */
export function capturingPool(pool: pg.Pool): pg.Pool {
  return capturing(pool, () => pool.connect())
}

/**
 * Like {@link capturingPool} for a pool-like object lending one known client (a dedicated
 * connection): `connect` is the caller's, the hook cancels on `client`.
 *
 * @example
 * ```ts
 * const dialect = new PostgresDialect({ pool: capturingSingle(single, pool, client) })
 * ```
 */
export function capturingSingle<P extends { connect(): Promise<unknown> }>(single: P, pool: pg.Pool, client: pg.PoolClient): P {
  return {
    ...single,
    connect: async () => {
      const lent = await single.connect()
      record(pool, client)
      return lent
    },
  }
}

function record(pool: pg.Pool, client: pg.PoolClient): void {
  const slot = slots.getStore()
  if (slot && !slot.client) {
    slot.client = client
    slot.pool = pool
  }
}

function capturing(pool: pg.Pool, connect: () => Promise<pg.PoolClient>): pg.Pool {
  const wrapper = {
    connect: async () => {
      const client = await connect()
      record(pool, client)
      return client
    },
    end: () => pool.end(),
  }
  return wrapper as unknown as pg.Pool
}
