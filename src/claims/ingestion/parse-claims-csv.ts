import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { setImmediate as yieldToEventLoop } from 'node:timers/promises'
import { parse, type CsvError } from 'csv-parse'
import { CLAIM_CSV_COLUMNS, type ClaimCsvColumn } from './claim-csv-columns.js'
import { claimCsvRowSchema } from './claim-csv-row-schema.js'
import type { StagingSink } from './staging-sink.js'
import type { UploadRowError } from './upload-row-error.js'

/** Limits and hooks of {@link parseClaimsCsv}. */
export interface ParseClaimsOptions {
  readonly maxErrors: number
  readonly maxRows: number
  readonly onRows: (rows: number) => void
  readonly progressEvery: number
  readonly signal: AbortSignal | undefined
  /** Called when the data rows exceed `maxRows`; its error is thrown. */
  readonly tooManyRows: () => Error
}

/** What {@link parseClaimsCsv} found. */
export interface ParseClaimsOutcome {
  /** Whether a header row was found at all (a body of blank lines has none). */
  readonly header: boolean
  /** Data rows read (valid or not). */
  readonly rows: number
  /** Valid rows handed to the sink. */
  readonly validRows: number
  /** Row and header errors, in line order, at most `maxErrors`. */
  readonly errors: UploadRowError[]
  /** Reading stopped at `maxErrors` before the end of the file. */
  readonly stoppedEarly: boolean
}

/** The largest record the parser buffers (a runaway quoted field stops here, not at the end of the body). */
export const MAX_RECORD_BYTES = 1024 * 1024

function countNewlines(fields: readonly string[]): number {
  let n = 0
  for (const field of fields) {
    let i = field.indexOf('\n')
    while (i !== -1) {
      n++
      i = field.indexOf('\n', i + 1)
    }
  }
  return n
}

function headerErrors(names: readonly string[]): { errors: UploadRowError[]; order: (ClaimCsvColumn | undefined)[] } {
  const known = new Set<string>(CLAIM_CSV_COLUMNS)
  const seen = new Set<string>()
  const errors: UploadRowError[] = []
  const order: (ClaimCsvColumn | undefined)[] = []
  for (const raw of names) {
    const name = raw.trim()
    if (!known.has(name)) {
      errors.push({ line: 1, column: name, message: `Unknown column "${name}". Expected: ${CLAIM_CSV_COLUMNS.join(', ')}.` })
      order.push(undefined)
    } else if (seen.has(name)) {
      errors.push({ line: 1, column: name, message: `The column "${name}" is given more than once.` })
      order.push(undefined)
    } else {
      seen.add(name)
      order.push(name as ClaimCsvColumn)
    }
  }
  for (const name of CLAIM_CSV_COLUMNS) {
    if (!seen.has(name)) errors.push({ line: 1, column: name, message: `The header has no "${name}" column.` })
  }
  return { errors, order }
}

/**
 * Parses a claims CSV stream with csv-parse, validates each data row with
 * {@link claimCsvRowSchema} and hands valid rows to `sink` with their 1-based file line
 * (the line where the record starts: blank lines and line breaks inside quoted fields are
 * counted, in LF and CRLF files alike). Invalid rows
 * become {@link UploadRowError}s; valid rows still flow to the sink after an error so that
 * duplicates can be found, until `maxErrors` errors stop the reading. Backpressure: the
 * parser is pulled one record at a time and the sink's promise is awaited, so only a
 * bounded window of the body is in memory.
 *
 * @example
 * ```ts
 * const outcome = await parseClaimsCsv(chunks, sink, { maxErrors: 100, maxRows: Infinity, ... })
 * ```
 */
export async function parseClaimsCsv(chunks: AsyncIterable<Buffer>, sink: StagingSink, options: ParseClaimsOptions): Promise<ParseClaimsOutcome> {
  const errors: UploadRowError[] = []
  const skips: { afterRecords: number; line: number }[] = []
  const parser = parse({
    bom: true,
    relax_column_count: true,
    // Blank lines come through as [''] and are skipped below, so that every line is counted.
    skip_empty_lines: false,
    skip_records_with_error: true,
    max_record_size: MAX_RECORD_BYTES,
    on_skip: (error: CsvError | undefined) => {
      if (!error) return undefined
      const at = Number((error as { lines?: unknown }).lines) || 1
      const message = `Malformed CSV: ${error.message.replace(/ at line \d+.*$/s, '')}.`.replace(/\.\.$/, '.')
      const last = errors.at(-1)
      if (!last || last.line !== at || last.message !== message) errors.push({ line: at, column: null, message })
      // The skipped record's lines are not seen below: resume counting after it.
      skips.push({ afterRecords: Number((error as { records?: unknown }).records) || 0, line: at })
      return undefined
    },
  })
  let stopped = false
  const feeding = pipeline(Readable.from(chunks, { objectMode: false }), parser).catch((error: unknown) => {
    if (!stopped) throw error
  })
  feeding.catch(() => undefined) // observed below

  let order: (ClaimCsvColumn | undefined)[] | undefined
  let nextLine = 1
  let records = 0
  let rows = 0
  let validRows = 0
  const width = CLAIM_CSV_COLUMNS.length
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      // Lines are counted here, not by the parser (whose count takes a CRLF inside a quoted
      // field for two lines): each record takes one line plus the line breaks inside its fields.
      while (skips.length > 0 && (skips[0] as { afterRecords: number }).afterRecords <= records) {
        nextLine = Math.max(nextLine, (skips.shift() as { line: number }).line + 1)
      }
      records++
      const line = nextLine
      nextLine += 1 + countNewlines(record)
      if (record.length === 1 && (record[0] as string).trim() === '') continue // a blank line (spaces, a stray CR)
      if (!order) {
        const header = headerErrors(record)
        if (header.errors.length > 0) {
          errors.push(...header.errors)
          stopped = true
          break
        }
        order = header.order
        continue
      }
      rows++
      if (rows > options.maxRows) {
        stopped = true
        throw options.tooManyRows()
      }
      if (options.signal?.aborted) {
        stopped = true
        throw options.signal.reason
      }
      if (rows % options.progressEvery === 0) {
        options.onRows(rows)
        // A body that is already in memory, or a fast local socket, never makes the loop wait
        // for I/O: let timers and other requests run between batches.
        await yieldToEventLoop()
      }
      if (record.length !== width) {
        errors.push({ line, column: null, message: `Expected ${width} fields, found ${record.length}.` })
      } else {
        const values: Record<string, string> = {}
        for (let i = 0; i < width; i++) values[order[i] as string] = record[i] as string
        const parsed = claimCsvRowSchema.safeParse(values)
        if (parsed.success) {
          validRows++
          const pending = sink.add(line, parsed.data)
          if (pending) await pending
        } else {
          for (const issue of parsed.error.issues) {
            errors.push({ line, column: typeof issue.path[0] === 'string' ? issue.path[0] : null, message: issue.message })
          }
        }
      }
      if (errors.length >= options.maxErrors) {
        stopped = true
        break
      }
    }
  } catch (error) {
    stopped = true
    throw error
  }
  if (!stopped) await feeding
  errors.sort((a, b) => a.line - b.line)
  return { header: order !== undefined || errors.length > 0, rows, validRows, errors: errors.slice(0, options.maxErrors), stoppedEarly: stopped }
}
