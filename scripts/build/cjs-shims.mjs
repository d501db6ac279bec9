// After tsup: one CommonJS entry per subpath that require()s the ES module of the same
// subpath (Node 20.19+ loads ES modules from require), so a process that mixes `import` and
// `require` holds one copy of the library's state. The .d.cts declarations tsup made stay.
import { readFileSync, writeFileSync } from 'node:fs'
import { basename, resolve } from 'node:path'

const outDir = process.env.UPSTREAM_DIST_DIR ?? 'dist'
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'))
for (const [subpath, conditions] of Object.entries(pkg.exports)) {
  if (typeof conditions === 'string') continue
  const cjs = conditions.require.default
  const esm = conditions.import.default
  const shim = `'use strict'\n// ${pkg.name}${subpath.slice(1)}: the ES module, loaded through require() (Node 20.19+).\nmodule.exports = require('./${basename(esm)}')\n`
  writeFileSync(resolve(outDir, basename(cjs)), shim)
}
console.log('cjs shims written')
