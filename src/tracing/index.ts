/**
 * OpenTelemetry tracing through `@opentelemetry/api`: the library's spans (requests,
 * transactions, list queries, ingestion, drift runs) and a span per SQL statement from a traced
 * Kysely dialect ({@link tracedDialect}). A no-op until the app installs an SDK; the names of
 * every attribute are in {@link TRACE_ATTRIBUTES}.
 *
 * @example
 * ```ts
 * import { inSpan, tracedDialect, databaseSpanAttributes } from '@upstreamjs/upstream/tracing'
 * const db = new Kysely<AppDatabase>({ dialect: tracedDialect(new PostgresDialect({ pool }), databaseSpanAttributes(url)) })
 * await inSpan('nightly invoices', {}, () => runInvoices(db))
 * ```
 *
 * @packageDocumentation
 * @module tracing
 */
export { UPSTREAM_TRACER_NAME, upstreamTracer } from './upstream-tracer.js'
export { inSpan } from './in-span.js'
export { recordSpanError } from './record-span-error.js'
export { TRACE_ATTRIBUTES } from './trace-attributes.js'
export { sanitizeStatement, statementOperation } from './sanitize-statement.js'
export { databaseSpanAttributes, startStatementSpan } from './statement-span.js'
export type { DatabaseLocation, DatabaseSpanAttributes } from './statement-span.js'
export { tracedDialect } from './traced-dialect.js'
