import { Readable } from 'node:stream'

/** The header in the contract's order. */
export const HEADER = 'claim_number,payer_name,cpt_code,service_date,billed_amount,allowed_amount,paid_amount,status,denial_reason'

const PAYERS = ['Aetna', 'Cigna', 'Humana', 'UnitedHealthcare', 'Kaiser']
const STATUSES = ['paid', 'denied', 'adjusted', 'submitted']

/** A valid data row for index `i` (claim number `C{i}`), in the header's order. */
export function validRow(i: number, prefix = 'C'): string {
  const status = STATUSES[i % 4]
  const day = String((i % 28) + 1).padStart(2, '0')
  const month = String((i % 12) + 1).padStart(2, '0')
  const billed = `${100 + (i % 900)}.${String(i % 100).padStart(2, '0')}`
  return `${prefix}${i},${PAYERS[i % 5]},${99200 + (i % 15)},2024-${month}-${day},${billed},${status === 'submitted' ? '' : '90.00'},${status === 'paid' || status === 'adjusted' ? '80.50' : ''},${status},${status === 'denied' ? 'CO-45' : ''}`
}

/**
 * A generated CSV of `rows` data rows as a stream of ~64 KiB chunks, built on demand (never
 * the whole file in memory). `replace(i)` may return another line for data row i (1-based:
 * data row i is file line i + 1). `onChunk` sees every chunk pulled.
 */
export function csvStream(rows: number, options: { replace?: (i: number) => string | undefined; onChunk?: (bytes: number) => void; header?: string } = {}): Readable {
  let i = 0
  let headerSent = false
  return Readable.from(
    (function* () {
      const parts: string[] = []
      let size = 0
      if (!headerSent) {
        headerSent = true
        parts.push((options.header ?? HEADER) + '\n')
      }
      while (i < rows) {
        i++
        const line = (options.replace?.(i) ?? validRow(i)) + '\n'
        parts.push(line)
        size += line.length
        if (size >= 65536) {
          const chunk = Buffer.from(parts.join(''))
          options.onChunk?.(chunk.length)
          yield chunk
          parts.length = 0
          size = 0
        }
      }
      if (parts.length) {
        const chunk = Buffer.from(parts.join(''))
        options.onChunk?.(chunk.length)
        yield chunk
      }
    })(),
    { objectMode: false },
  )
}
