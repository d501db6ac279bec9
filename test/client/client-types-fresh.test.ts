import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { CLIENT_TYPES_FILE, clientTypesSource } from '../../scripts/client/client-types-source.js'

describe('examples/client/api-types.ts', () => {
  it('matches the OpenAPI document the library builds (else run `npm run generate:client` and commit)', async () => {
    const committed = await readFile(CLIENT_TYPES_FILE, 'utf8')
    const fresh = await clientTypesSource()
    // on failure: the document changed and the committed types are stale; `npm run generate:client` rewrites them
    expect(committed === fresh, 'examples/client/api-types.ts is stale: run `npm run generate:client` and commit the result').toBe(true)
  })

  it('does not depend on the day it is generated (the drift run\'s as_of default is the build date)', async () => {
    const fresh = await clientTypesSource()
    expect(fresh).not.toContain(new Date().toISOString().slice(0, 10))
  })
})
