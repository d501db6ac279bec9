import { defineConfig } from 'tsup'

/** One entry per subpath: `@upstreamjs/upstream` and `@upstreamjs/upstream/<name>`. */
export const ENTRIES = {
  index: 'src/index.ts',
  db: 'src/db/index.ts',
  errors: 'src/errors/index.ts',
  transactions: 'src/transactions/index.ts',
  tenancy: 'src/tenancy/index.ts',
  'list-query': 'src/list-query/index.ts',
  openapi: 'src/openapi/index.ts',
  http: 'src/http/index.ts',
  jobs: 'src/jobs/index.ts',
  tracing: 'src/tracing/index.ts',
  claims: 'src/claims/index.ts',
  testing: 'src/testing/index.ts',
}

// ESM with shared chunks: every subpath imports the same module instances (one UpstreamError
// class, one cursor secret per process). The CommonJS entries are then replaced by shims that
// require() these ES modules (Node 20.19+), so `require` and `import` share them too; the
// CommonJS build is kept only for its .d.cts type declarations.
const outDir = process.env.UPSTREAM_DIST_DIR ?? 'dist'
// UPSTREAM_DIST_DTS=0 skips type declarations (the entry-point test needs only the JavaScript)
const withTypes = process.env.UPSTREAM_DIST_DTS !== '0'

export default defineConfig([
  {
    entry: ENTRIES,
    format: ['esm'],
    outDir,
    dts: withTypes,
    sourcemap: true,
    target: 'node20',
    splitting: true,
    treeshake: true,
  },
  ...(withTypes ? [{ entry: ENTRIES, format: ['cjs' as const], outDir, dts: { only: true }, target: 'node20' }] : []),
])
