import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { readFile } from 'node:fs/promises'
import { get, type IncomingMessage } from 'node:http'
import { fileURLToPath } from 'node:url'
import { parse } from 'csv-parse'

/** What one export run measured. */
export interface ExportMeasurement {
  readonly rows: number
  readonly bytes: number
  readonly seconds: number
  /** Peak resident set of the server process over its life (VmHWM), MiB. */
  readonly peakRssMiB: number
  /** Resident set of the server process just before the export, MiB. */
  readonly idleRssMiB: number
}

/** How the server runs: plain `node` on the built package (as an app deploys it), or tsx on the sources. */
export type ExportRuntime = 'node' | 'tsx'

const SERVER = fileURLToPath(new URL('./export-server.mjs', import.meta.url))

async function procKiB(pid: number, field: 'VmRSS' | 'VmHWM'): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8')
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)
  if (!m) throw new Error(`no ${field} in /proc/${pid}/status`)
  return Number(m[1])
}

/**
 * Starts the export server in a child process (schema `schema`, `batchSize`-row batches,
 * under `runtime`),
 * streams `GET <path>` as CSV with `token`, parses it (csv-parse, so quoted line breaks count
 * once) and returns rows, time, and the server's idle and peak RSS (Linux /proc).
 */
export async function measureExport(options: {
  schema: string
  token: string
  path?: string
  batchSize?: number
  /** Default 'tsx'; 'node' needs `distDir`, the package built there. */
  runtime?: ExportRuntime
  distDir?: string
}): Promise<ExportMeasurement> {
  const runtime = options.runtime ?? 'tsx'
  const args = runtime === 'node' ? [SERVER] : ['--import', 'tsx', SERVER]
  const child = spawn(process.execPath, args, {
    env: {
      ...process.env,
      EXPORT_SCHEMA: options.schema,
      EXPORT_BATCH_SIZE: String(options.batchSize ?? 1000),
      EXPORT_DIST_DIR: options.distDir ?? '',
      EXPORT_SOURCES: runtime === 'tsx' ? '1' : '0',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  try {
    let out = ''
    child.stdout.setEncoding('utf8')
    while (!/port=\d+/.test(out)) {
      const [chunk] = (await Promise.race([once(child.stdout, 'data'), once(child, 'exit').then(() => { throw new Error('export server exited') })])) as [string]
      out += chunk
    }
    const port = Number(/port=(\d+)/.exec(out)![1])
    const pid = child.pid!
    const idle = await procKiB(pid, 'VmRSS')
    const started = performance.now()
    const res = await new Promise<IncomingMessage>((resolve, reject) =>
      get({ host: '127.0.0.1', port, path: options.path ?? '/api/v1/claims/?format=csv', headers: { authorization: `Bearer ${options.token}` } }, resolve).on('error', reject),
    )
    if (res.statusCode !== 200) throw new Error(`export answered ${res.statusCode}`)
    let bytes = 0
    res.on('data', (c: Buffer) => (bytes += c.length))
    let records = 0
    const parser = res.pipe(parse())
    for await (const _record of parser) records++
    const seconds = (performance.now() - started) / 1000
    const peak = await procKiB(pid, 'VmHWM')
    return { rows: records - 1, bytes, seconds, peakRssMiB: peak / 1024, idleRssMiB: idle / 1024 }
  } finally {
    child.kill('SIGTERM')
    await once(child, 'exit').catch(() => undefined)
  }
}
