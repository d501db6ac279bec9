/**
 * `npm run generate:client`: writes examples/client/api-types.ts, the TypeScript types of the
 * upstream HTTP API, from the OpenAPI document the library builds (openapi-typescript).
 * `npm run generate:client -- --check` writes nothing and exits 1 when the committed file is
 * stale (CI); the test suite checks the same (test/client/client-types-fresh.test.ts).
 */
import { readFile, writeFile } from 'node:fs/promises'
import { relative } from 'node:path'
import { parseArgs } from 'node:util'
import { CLIENT_TYPES_FILE, clientTypesSource } from './client/client-types-source.js'

const { values } = parseArgs({ args: process.argv.slice(2).filter((a) => a !== '--'), strict: true, options: { check: { type: 'boolean', default: false } } })
const fresh = await clientTypesSource()
const committed = await readFile(CLIENT_TYPES_FILE, 'utf8').catch(() => undefined)
const name = relative(process.cwd(), CLIENT_TYPES_FILE)
if (values.check) {
  if (committed !== fresh) {
    console.error(`${name} is stale: the OpenAPI document changed. Run \`npm run generate:client\` and commit the result.`)
    process.exit(1)
  }
  console.log(`${name} is up to date.`)
} else if (committed === fresh) {
  console.log(`${name} is up to date.`)
} else {
  await writeFile(CLIENT_TYPES_FILE, fresh)
  console.log(`wrote ${name}`)
}
