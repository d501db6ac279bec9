// Preloaded with --import: records every module file a fresh process loads (ES modules through a
// resolve hook, CommonJS through require.cache at exit) into the file named by RECORD_LOADS.
import { appendFileSync } from 'node:fs'
import { createRequire, register } from 'node:module'

const out = process.env.RECORD_LOADS
const hook = `
import { appendFileSync } from 'node:fs'
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context)
  if (result.url.startsWith('file:')) appendFileSync(${JSON.stringify(out)}, result.url + '\\n')
  return result
}`
register(`data:text/javascript,${encodeURIComponent(hook)}`)
process.on('exit', () => {
  for (const file of Object.keys(createRequire(import.meta.url).cache)) appendFileSync(out, `file://${file}\n`)
})
