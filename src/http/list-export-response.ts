import { Readable } from 'node:stream'
import type { Options as CsvOptions, stringify as csvStringify } from 'csv-stringify/sync'
import type { HttpResponse } from './http-response.js'
import type { JsonValue } from './json-value.js'
import type { ListFormat } from './list-format.js'

/**
 * One presented row of an export: the JSON object the list's presenter makes.
 *
 * @example
 * ```ts
 * const row: ExportRow = { id: 9, billed_amount: '120.00', denial_reason: null }
 * ```
 */
export type ExportRow = { readonly [field: string]: JsonValue | undefined }

/**
 * What an export streams: batches of presented rows, and the JSON field names that make the
 * CSV header row and column order (default: the first row's keys).
 *
 * @example
 * ```ts
 * const source: ListExportSource = { fields: ['id', 'title'], batches: presentBatches(exportTenantList(tenant, tasksSpec, query), presentTask) }
 * ```
 */
export interface ListExportSource {
  readonly fields?: readonly string[]
  readonly batches: AsyncIterable<readonly ExportRow[]>
}

/**
 * Presents every row of every batch (the list's JSON presenter), lazily: a batch is fetched
 * and presented only when the stream asks for it.
 *
 * @example
 * ```ts
 * presentBatches(exportTenantList(tenant, tasksSpec, request.query), presentTask)
 * ```
 */
export async function* presentBatches<Row, Item extends ExportRow>(batches: AsyncIterable<readonly Row[]>, present: (row: Row) => Item): AsyncGenerator<Item[], void, undefined> {
  for await (const rows of batches) yield rows.map(present)
}

// a value as JSON writes it, as CSV text: null (and absent) empty, booleans true/false, objects as JSON
const CSV_OPTIONS: CsvOptions = {
  cast: {
    boolean: (v) => (v ? 'true' : 'false'),
    number: (v) => String(v),
    object: (v) => JSON.stringify(v),
    bigint: (v) => v.toString(),
  },
}

type Stringify = typeof csvStringify

// loaded with the first CSV export: `/http` alone stays free of it
let csvModule: Promise<Stringify> | undefined
const loadStringify = (): Promise<Stringify> => (csvModule ??= import('csv-stringify/sync').then((m) => m.stringify))

function csvText(stringify: Stringify, fields: readonly string[], rows: readonly ExportRow[]): string {
  return stringify(
    rows.map((row) => fields.map((f) => row[f] ?? null)),
    CSV_OPTIONS,
  )
}

const CONTENT_TYPES: Readonly<Record<Exclude<ListFormat, 'json'>, string>> = {
  csv: 'text/csv; charset=utf-8',
  ndjson: 'application/x-ndjson; charset=utf-8',
}

/**
 * Options of {@link listExportResponse}.
 *
 * @example
 * ```ts
 * await listExportResponse('csv', source, { filename: 'claims' })
 * ```
 */
export interface ListExportResponseOptions {
  /** The download's name without extension (`Content-Disposition: attachment; filename="claims.csv"`); none when absent. */
  readonly filename?: string
}

/**
 * A streamed export response: `text/csv; charset=utf-8` (a header row of the JSON field names,
 * then one line per row, quoted by csv-stringify where a value holds a comma, a quote or a
 * line break; nulls empty) or `application/x-ndjson` (one JSON object per line, as the JSON
 * list presents it). The first batch is fetched before answering, so a failure there (a 404
 * of a parent, a database error) answers with its own status; later batches are fetched only
 * as the client reads: the body is a stream whose consumer's pace (backpressure) decides,
 * and destroying it (a client that went away) stops the source before its next batch.
 *
 * @example
 * ```ts
 * const response = await listExportResponse('ndjson', { batches: presentBatches(exportTenantList(tenant, spec, query), present) })
 * await writeNodeResponse(res, response) // pipes the stream, waiting for 'drain'
 * ```
 */
export async function listExportResponse(
  format: Exclude<ListFormat, 'json'>,
  source: ListExportSource,
  options: ListExportResponseOptions = {},
): Promise<HttpResponse> {
  const stringify = format === 'csv' ? await loadStringify() : undefined
  const iterator = source.batches[Symbol.asyncIterator]()
  const first = await iterator.next()
  const fields = source.fields ?? (first.done ? [] : Object.keys(first.value[0] ?? {}))
  async function* chunks(): AsyncGenerator<string, void, undefined> {
    try {
      if (stringify) yield stringify([fields], CSV_OPTIONS)
      for (let next = first; !next.done; next = await iterator.next()) {
        yield stringify ? csvText(stringify, fields, next.value) : next.value.map((row) => `${JSON.stringify(row)}\n`).join('')
      }
    } finally {
      // the consumer stopped (or the export ended): no further batch is fetched
      await iterator.return?.()
    }
  }
  const headers: Record<string, string> = { 'content-type': CONTENT_TYPES[format], 'x-content-type-options': 'nosniff' }
  if (options.filename) headers['content-disposition'] = `attachment; filename="${options.filename.replace(/[^A-Za-z0-9._-]/g, '_')}.${format}"`
  return { status: 200, headers, body: Readable.from(chunks(), { objectMode: false }) }
}
