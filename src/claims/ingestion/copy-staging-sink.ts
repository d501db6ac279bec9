import { once } from 'node:events'
import { finished } from 'node:stream/promises'
import type { Span } from '@opentelemetry/api'
import type pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'
import { databaseSpanAttributes, recordSpanError, startStatementSpan, TRACE_ATTRIBUTES } from '../../tracing/index.js'
import type { ClaimCsvRow } from './claim-csv-row-schema.js'
import { copyTextValue } from './copy-text.js'
import { stagingCopySql } from './staging-table.js'
import type { StagingSink } from './staging-sink.js'

const FLUSH_CHARS = 64 * 1024
const ABORT_WAIT_MS = 5000

/**
 * Streams rows into the staging table with `COPY ... FROM STDIN` (pg-copy-streams) on the
 * transaction's own `pg` client. Rows are serialized to COPY text and written in ~64 KiB
 * pieces; when the socket buffer is full, `add` returns a promise that settles on `drain`,
 * so the parser (and the body) are read no faster than PostgreSQL consumes. The `COPY` is one
 * statement span (from its start to its end, with the rows copied) under the active span.
 *
 * @example
 * ```ts
 * const sink = new CopyStagingSink(client, upload.id) // inside the transaction, after createStagingTable
 * ```
 */
export class CopyStagingSink implements StagingSink {
  readonly #copy: ReturnType<typeof copyFrom>
  #parts: string[] = []
  #chars = 0
  #error: Error | undefined
  #span: Span | undefined

  constructor(client: pg.ClientBase, uploadId: number) {
    const text = stagingCopySql(uploadId)
    const { database, host, port } = client as Partial<Pick<pg.Client, 'database' | 'host' | 'port'>>
    this.#span = startStatementSpan(text, databaseSpanAttributes({ database, host, port }))
    this.#copy = client.query(copyFrom(text))
    this.#copy.on('error', (error: Error) => {
      this.#error ??= error
    })
  }

  add(line: number, row: ClaimCsvRow): Promise<void> | undefined {
    const text =
      line +
      '\t' + copyTextValue(row.claim_number) +
      '\t' + copyTextValue(row.payer_name) +
      '\t' + copyTextValue(row.cpt_code) +
      '\t' + row.service_date +
      '\t' + row.billed_amount +
      '\t' + (row.allowed_amount ?? '\\N') +
      '\t' + (row.paid_amount ?? '\\N') +
      '\t' + row.status +
      '\t' + copyTextValue(row.denial_reason) +
      '\n'
    this.#parts.push(text)
    this.#chars += text.length
    return this.#chars >= FLUSH_CHARS ? this.#flush() : undefined
  }

  #flush(): Promise<void> | undefined {
    if (this.#error) return Promise.reject(this.#error)
    if (this.#parts.length === 0) return undefined
    const ok = this.#copy.write(this.#parts.join(''))
    this.#parts = []
    this.#chars = 0
    return ok ? undefined : once(this.#copy, 'drain').then(() => undefined)
  }

  async finish(): Promise<void> {
    await this.#flush()
    if (this.#error) throw this.#error
    this.#copy.end()
    try {
      await finished(this.#copy)
    } catch (error) {
      this.#endSpan(error)
      throw error
    }
    this.#span?.setAttribute(TRACE_ATTRIBUTES.dbResponseReturnedRows, this.#copy.rowCount)
    this.#endSpan()
  }

  #endSpan(error?: unknown): void {
    const span = this.#span
    this.#span = undefined
    if (!span) return
    if (error !== undefined) recordSpanError(span, error)
    span.end()
  }

  async abort(reason: unknown): Promise<void> {
    this.#parts = []
    this.#endSpan(this.#error ?? reason ?? new Error('The upload was abandoned.'))
    // After an error from the server the COPY is over already; otherwise send CopyFail.
    if (this.#error || this.#copy.destroyed) return
    const done = finished(this.#copy).catch(() => undefined)
    try {
      this.#copy.destroy(reason instanceof Error ? reason : new Error('The upload was abandoned.'))
    } catch {
      return
    }
    let timer: NodeJS.Timeout | undefined
    await Promise.race([done, new Promise((resolve) => (timer = setTimeout(resolve, ABORT_WAIT_MS)))])
    clearTimeout(timer)
  }
}
