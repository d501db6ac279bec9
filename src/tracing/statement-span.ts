import { context, SpanKind, trace, type Attributes, type Span } from '@opentelemetry/api'
import { sanitizeStatement, statementOperation } from './sanitize-statement.js'
import { TRACE_ATTRIBUTES } from './trace-attributes.js'
import { upstreamTracer } from './upstream-tracer.js'

/**
 * The attributes every statement span of one database carries: `db.system` (and
 * `db.system.name`) `postgresql`, and, when known, the database name and server.
 *
 * @example
 * ```ts
 * const attributes: DatabaseSpanAttributes = { 'db.namespace': 'claims', 'server.address': 'db.internal', 'server.port': 5432 }
 * ```
 */
export type DatabaseSpanAttributes = Readonly<Attributes>

/**
 * Where a database is, as {@link databaseSpanAttributes} reads it: a connection string, or the
 * fields a connected `pg` client has.
 *
 * @example
 * ```ts
 * const where: DatabaseLocation = { database: client.database, host: client.host, port: client.port }
 * ```
 */
export type DatabaseLocation = string | { readonly database?: string | undefined; readonly host?: string | undefined; readonly port?: number | undefined }

/**
 * The span attributes of a PostgreSQL database: `db.system` and `db.system.name`
 * (`postgresql`), and from a connection string (`postgres://user@host:port/db`) or a `pg`
 * client's fields, `db.namespace`, `server.address` and `server.port`. Never the user or the
 * password. A string that is not a URL (a libpq keyword string) gives only the first two.
 *
 * @example
 * ```ts
 * databaseSpanAttributes('postgres://app:secret@db.internal:6432/claims')
 * // { 'db.system': 'postgresql', 'db.system.name': 'postgresql', 'db.namespace': 'claims', 'server.address': 'db.internal', 'server.port': 6432 }
 * ```
 */
export function databaseSpanAttributes(location?: DatabaseLocation): DatabaseSpanAttributes {
  const attributes: Attributes = { [TRACE_ATTRIBUTES.dbSystem]: 'postgresql', [TRACE_ATTRIBUTES.dbSystemName]: 'postgresql' }
  let where: Exclude<DatabaseLocation, string> = {}
  if (typeof location === 'string') {
    try {
      const url = new URL(location)
      where = { database: decodeURIComponent(url.pathname.replace(/^\//, '')), host: url.hostname, port: url.port ? Number(url.port) : 5432 }
    } catch {
      // a libpq keyword string: no location attributes
    }
  } else if (location) {
    where = location
  }
  if (where.database) attributes[TRACE_ATTRIBUTES.dbNamespace] = where.database
  if (where.host) attributes[TRACE_ATTRIBUTES.serverAddress] = where.host
  if (where.host && where.port) attributes[TRACE_ATTRIBUTES.serverPort] = where.port
  return Object.freeze(attributes)
}

/**
 * Starts the span of one statement (kind `CLIENT`, named after its command, such as `SELECT`),
 * as a child of the active span, with `db.query.text` sanitized ({@link sanitizeStatement}).
 * Returns `undefined`, at the cost of a context lookup, when no recording span is active:
 * statements outside the library's operations (migrations, an app's own queries without a
 * span of its own) make no root spans. The caller ends the span.
 *
 * @example
 * ```ts
 * const span = startStatementSpan('copy pg_temp.staging from stdin', databaseSpanAttributes(url))
 * try { await copy() } finally { span?.end() }
 * ```
 */
export function startStatementSpan(text: string, attributes: DatabaseSpanAttributes): Span | undefined {
  const active = context.active()
  if (!trace.getSpan(active)?.isRecording()) return undefined
  const operation = statementOperation(text)
  return upstreamTracer().startSpan(
    operation,
    {
      kind: SpanKind.CLIENT,
      attributes: { ...attributes, [TRACE_ATTRIBUTES.dbOperationName]: operation, [TRACE_ATTRIBUTES.dbQueryText]: sanitizeStatement(text) },
    },
    active,
  )
}
