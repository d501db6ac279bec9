import type { Measurement } from './measure.js'

function ms(value: number): string {
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(3)
}

/**
 * Formats measurements as a table, with each median's ratio to the baseline's median
 * (the row named `baseline`, else the first row).
 *
 * @example
 * ```ts
 * console.log(formatReport([plain, tenant], 'plain'))
 * // name    median ms  p95 ms  runs  vs plain
 * // plain       0.210   0.301    50     1.00x
 * // tenant      0.420   0.550    50     2.00x
 * ```
 */
export function formatReport(rows: readonly Measurement[], baseline?: string): string {
  if (rows.length === 0) return '(no measurements)'
  const base = rows.find((r) => r.name === baseline) ?? (rows[0] as Measurement)
  const header = ['name', 'median ms', 'p95 ms', 'runs', `vs ${base.name}`]
  const body = rows.map((r) => [r.name, ms(r.median), ms(r.p95), String(r.runs), `${(r.median / base.median).toFixed(2)}x`])
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] as string).length)))
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ')
  return [line(header), ...body.map(line)].join('\n')
}

/**
 * Prints {@link formatReport} to stdout.
 *
 * @example
 * ```ts
 * report([plain, tenant], 'plain')
 * ```
 */
export function report(rows: readonly Measurement[], baseline?: string): void {
  console.log(formatReport(rows, baseline))
}
