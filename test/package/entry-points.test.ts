import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// The package as npm consumers get it: built into a directory of its own (tsup + the CommonJS
// shims, exactly `npm run build`), then each subpath imported in a fresh Node process that
// records every module file it loads.
const root = resolve(import.meta.dirname, '../..')
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports: Record<string, unknown> }
const SUBPATHS = Object.keys(pkg.exports).filter((s) => s !== './package.json')
const fileOf = (subpath: string) => (subpath === '.' ? 'index' : subpath.slice(2))

/** Packages only the claims domain may load (CSV, COPY, statistics, the docs page, jobs). */
const DOMAIN_ONLY = ['csv-parse', 'csv-stringify', 'pg-copy-streams', '@stdlib', 'swagger-ui-dist', 'graphile-worker']

let dist: string

function packagesLoaded(entry: string, how: 'import' | 'require'): string[] {
  const record = join(dist, `loads-${Math.random().toString(36).slice(2)}.txt`)
  const code = how === 'import' ? `await import(${JSON.stringify(entry)})` : `require(${JSON.stringify(entry)})`
  execFileSync(process.execPath, ['--import', join(import.meta.dirname, 'record-loads.mjs'), how === 'import' ? '--input-type=module' : '--input-type=commonjs', '-e', code], {
    env: { ...process.env, RECORD_LOADS: record },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  const names = new Set<string>()
  for (const url of readFileSync(record, 'utf8').split('\n')) {
    const match = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)
    if (match) names.add(match[1]!.startsWith('@stdlib/') ? '@stdlib' : match[1]!)
  }
  return [...names].sort()
}

beforeAll(() => {
  // inside the project, so the build's bare imports (kysely, zod, ...) resolve to node_modules
  mkdirSync(join(root, '.tmp'), { recursive: true })
  dist = mkdtempSync(join(root, '.tmp', 'dist-'))
  const env = { ...process.env, UPSTREAM_DIST_DIR: dist, UPSTREAM_DIST_DTS: '0' }
  execFileSync(process.execPath, [join(root, 'node_modules/tsup/dist/cli-default.js'), '--silent'], { cwd: root, env, stdio: 'inherit' })
  execFileSync(process.execPath, [join(root, 'scripts/build/cjs-shims.mjs')], { cwd: root, env, stdio: 'ignore' })
}, 120_000)

afterAll(() => {
  if (dist) rmSync(dist, { recursive: true, force: true })
})

describe('subpath entry points', () => {
  it('load only what they need in a fresh process: no domain dependency outside /claims, and no pg before a connection', () => {
    const table: Record<string, { packages: string; exports: number }> = {}
    for (const subpath of SUBPATHS) {
      const file = join(dist, `${fileOf(subpath)}.js`)
      const loaded = packagesLoaded(file, 'import')
      const exportsCount = Number(
        execFileSync(process.execPath, ['--input-type=module', '-e', `console.log(Object.keys(await import(${JSON.stringify(file)})).length)`]).toString(),
      )
      table[subpath] = { packages: loaded.join(', ') || '(none)', exports: exportsCount }
      if (subpath !== './claims') {
        expect(loaded.filter((name) => DOMAIN_ONLY.some((d) => name === d || name.startsWith(`${d}/`))), `${subpath} loads`).toEqual([])
        // pg is loaded by createDatabase when it gets a URL, never on import (a PGlite-only app has no pg)
        expect(loaded, `${subpath} loads pg`).not.toContain('pg')
      }
    }
    console.log('[entry points] packages a fresh process loads on import, and runtime exports per subpath')
    console.table(table)
    expect(table['./claims']!.packages).toContain('csv-parse')
  })

  it('share one copy of state whatever mix of import and require (require() of the ES modules, Node 20.19+)', () => {
    const script = `
      const errorsCjs = require(${JSON.stringify(join(dist, 'errors.cjs'))})
      const listQueryCjs = require(${JSON.stringify(join(dist, 'list-query.cjs'))})
      import(${JSON.stringify(join(dist, 'http.js'))}).then(async (http) => {
        const errorsEsm = await import(${JSON.stringify(join(dist, 'errors.js'))})
        const listQueryEsm = await import(${JSON.stringify(join(dist, 'list-query.js'))})
        const e = new errorsCjs.ValidationError({ page: ['Invalid page.'] })
        const answer = http.errorResponse(e, { error() {}, warn() {} })
        console.log(JSON.stringify({
          sameClass: errorsCjs.ValidationError === errorsEsm.ValidationError,
          instanceofAcross: e instanceof errorsEsm.UpstreamError,
          httpAnswers: answer.status,
          sameSecret: listQueryCjs.defaultCursorSecret().equals(listQueryEsm.defaultCursorSecret()),
        }))
      })`
    const out = JSON.parse(execFileSync(process.execPath, ['--input-type=commonjs', '-e', script]).toString()) as Record<string, unknown>
    expect(out).toEqual({ sameClass: true, instanceofAcross: true, httpAnswers: 400, sameSecret: true })
  })

  it('require() of each subpath works and loads no domain dependency outside /claims', () => {
    for (const subpath of SUBPATHS.filter((s) => s !== './claims')) {
      const loaded = packagesLoaded(join(dist, `${fileOf(subpath)}.cjs`), 'require')
      expect(loaded.filter((name) => DOMAIN_ONLY.includes(name)), `${subpath} (require) loads`).toEqual([])
    }
  })
})
