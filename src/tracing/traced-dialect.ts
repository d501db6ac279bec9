import type { CompiledQuery, DatabaseConnection, Dialect, Driver, QueryResult } from 'kysely'
import { recordSpanError } from './record-span-error.js'
import { databaseSpanAttributes, startStatementSpan, type DatabaseSpanAttributes } from './statement-span.js'
import { TRACE_ATTRIBUTES } from './trace-attributes.js'

class TracedConnection implements DatabaseConnection {
  readonly inner: DatabaseConnection
  readonly #attributes: DatabaseSpanAttributes

  constructor(inner: DatabaseConnection, attributes: DatabaseSpanAttributes) {
    this.inner = inner
    this.#attributes = attributes
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const span = startStatementSpan(compiledQuery.sql, this.#attributes)
    if (!span) return this.inner.executeQuery<R>(compiledQuery)
    try {
      const result = await this.inner.executeQuery<R>(compiledQuery)
      span.setAttribute(TRACE_ATTRIBUTES.dbResponseReturnedRows, result.rows.length)
      return result
    } catch (error) {
      recordSpanError(span, error)
      throw error
    } finally {
      span.end()
    }
  }

  async *streamQuery<R>(compiledQuery: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    const span = startStatementSpan(compiledQuery.sql, this.#attributes)
    if (!span) return yield* this.inner.streamQuery<R>(compiledQuery, chunkSize)
    let rows = 0
    try {
      for await (const result of this.inner.streamQuery<R>(compiledQuery, chunkSize)) {
        rows += result.rows.length
        yield result
      }
      span.setAttribute(TRACE_ATTRIBUTES.dbResponseReturnedRows, rows)
    } catch (error) {
      recordSpanError(span, error)
      throw error
    } finally {
      span.end()
    }
  }
}

const unwrap = (connection: DatabaseConnection) => (connection instanceof TracedConnection ? connection.inner : connection)

function tracedDriver(inner: Driver, attributes: DatabaseSpanAttributes): Driver {
  // one wrapper per pooled connection, as long as the driver keeps that connection
  const wrappers = new WeakMap<DatabaseConnection, TracedConnection>()
  const driver: Driver = {
    init: () => inner.init(),
    acquireConnection: async () => {
      const connection = await inner.acquireConnection()
      let wrapper = wrappers.get(connection)
      if (!wrapper) wrappers.set(connection, (wrapper = new TracedConnection(connection, attributes)))
      return wrapper
    },
    // the driver's own transaction statements run on its own connection object (drivers keep private state on it)
    beginTransaction: (connection, settings) => inner.beginTransaction(unwrap(connection), settings),
    commitTransaction: (connection) => inner.commitTransaction(unwrap(connection)),
    rollbackTransaction: (connection) => inner.rollbackTransaction(unwrap(connection)),
    releaseConnection: (connection) => inner.releaseConnection(unwrap(connection)),
    destroy: () => inner.destroy(),
  }
  return Object.freeze({
    ...driver,
    ...(inner.savepoint ? { savepoint: (c, name, compile) => inner.savepoint!(unwrap(c), name, compile) } : {}),
    ...(inner.rollbackToSavepoint ? { rollbackToSavepoint: (c, name, compile) => inner.rollbackToSavepoint!(unwrap(c), name, compile) } : {}),
    ...(inner.releaseSavepoint ? { releaseSavepoint: (c, name, compile) => inner.releaseSavepoint!(unwrap(c), name, compile) } : {}),
  } satisfies Driver)
}

/**
 * Wraps a Kysely dialect so that every statement run through it becomes an OpenTelemetry
 * span (kind `CLIENT`, named after its command, `db.system` `postgresql`, the sanitized
 * statement text in `db.query.text`, `db.response.returned_rows`, and the SQLSTATE on
 * failure), a child of the active span. With no recording span active (no SDK, or a
 * statement outside any traced operation) the statement runs as before, after one context
 * lookup. `createDatabase` applies it to the databases it makes; use it for a Kysely of your
 * own. It wraps at the driver level, so no `pg` instrumentation package is needed.
 *
 * Not traced: `BEGIN`/`COMMIT` that Kysely's own `db.transaction()` issues (the library's
 * transactions, `runInTransaction` and tenant scopes, issue theirs as statements, which are).
 *
 * @param attributes - added to every statement span; default `db.system` / `db.system.name` only
 *   (see {@link databaseSpanAttributes} for the rest from a connection string).
 *
 * @example
 * ```ts
 * import { Kysely, PostgresDialect } from 'kysely'
 * const db = new Kysely<MyDatabase>({
 *   dialect: tracedDialect(new PostgresDialect({ pool }), databaseSpanAttributes(process.env.DATABASE_URL)),
 * })
 * ```
 */
export function tracedDialect(dialect: Dialect, attributes: DatabaseSpanAttributes = databaseSpanAttributes()): Dialect {
  return Object.freeze({
    createAdapter: () => dialect.createAdapter(),
    createDriver: () => tracedDriver(dialect.createDriver(), attributes),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createIntrospector: (db) => dialect.createIntrospector(db),
  } satisfies Dialect)
}
