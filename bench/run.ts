/**
 * Runs the benchmarks: every `bench/*.bench.ts`, or only those whose name contains one of
 * the arguments (`npm run bench -- drift tenant`), one after the other, on the seeded
 * `bench` schema (see bench/support/ensure-bench-data.ts).
 */
import { readdir } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { BenchContext } from './support/bench-context.js'
import { ensureBenchData } from './support/ensure-bench-data.js'
import { measure } from './support/measure.js'
import { report } from './support/report.js'

type Bench = (ctx: BenchContext) => Promise<void>

const here = dirname(fileURLToPath(import.meta.url))
const filters = process.argv.slice(2).filter((a) => a !== '--')
const files = (await readdir(here))
  .filter((f) => f.endsWith('.bench.ts'))
  .sort()
  .filter((f) => filters.length === 0 || filters.some((name) => f.includes(name)))

if (files.length === 0) {
  console.error(`No bench/*.bench.ts matches ${filters.length ? filters.join(', ') : '(any)'}.`)
  process.exit(1)
}

const { upstream, url, customers } = await ensureBenchData({ pool: { max: 20 } })
const ctx: BenchContext = Object.freeze({ upstream, url, customers, measure, report })
let failed = 0
try {
  for (const file of files) {
    console.log(`\n=== ${file} ===`)
    const started = performance.now()
    try {
      const mod = (await import(pathToFileURL(join(here, file)).href)) as { default?: Bench }
      if (typeof mod.default !== 'function') throw new Error(`${file} has no default-exported function`)
      await mod.default(ctx)
      console.log(`(${file}: ${((performance.now() - started) / 1000).toFixed(1)} s)`)
    } catch (error) {
      failed++
      console.error(`${file} failed:`, error)
    }
  }
} finally {
  await upstream.destroy()
}
process.exit(failed > 0 ? 1 : 0)
