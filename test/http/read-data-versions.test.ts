import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readDataVersions, tenantDataVersion, type DataVersion } from '../support/upstream.js'
import { createTestDatabase, type TestDatabase } from '../support/test-database.js'
import { createHttpFixture, type FixtureTenant } from './http-fixture.js'

let upstream: TestDatabase
let a: FixtureTenant
let b: FixtureTenant

beforeAll(async () => {
  upstream = await createTestDatabase()
  ;({ a, b } = await createHttpFixture(upstream, 'versions'))
})
afterAll(async () => {
  await upstream?.destroy()
})

/** Sets a tenant's data version as an operator would (the test connects as a superuser). */
const setVersion = (customerId: number, version: number) =>
  sql`insert into ${sql.id(upstream.schema, 'data_versions')} (customer_id, version) values (${customerId}, ${version})
      on conflict (customer_id) do update set version = excluded.version`.execute(upstream.db)

// The statement of the tenant's version is made once, for the transaction's current tenant
// (the key lookup's select list, issue 12): each tenant must still read its own version, and
// each read the version as it is now.
describe('readDataVersions', () => {
  it("each tenant reads its own version, a new value at once, from one statement made once", async () => {
    await setVersion(a.customerId, 1001)
    await setVersion(b.customerId, 2002)
    for (let round = 0; round < 2; round++) {
      expect(await readDataVersions(upstream, a.customerId, [tenantDataVersion])).toEqual(['1001'])
      expect(await readDataVersions(upstream, b.customerId, [tenantDataVersion])).toEqual(['2002'])
    }
    await setVersion(a.customerId, 1003)
    expect(await readDataVersions(upstream, a.customerId, [tenantDataVersion])).toEqual(['1003'])
    expect(await readDataVersions(upstream, b.customerId, [tenantDataVersion, tenantDataVersion])).toEqual(['2002', '2002'])
  })

  it("an app's own version is evaluated on every read (its expression may change)", async () => {
    let release = 'r1'
    const releaseVersion: DataVersion = { name: 'release', expression: () => sql`${release}::text` }
    expect(await readDataVersions(upstream, a.customerId, [tenantDataVersion, releaseVersion])).toEqual(['1003', 'r1'])
    release = 'r2'
    expect(await readDataVersions(upstream, a.customerId, [tenantDataVersion, releaseVersion])).toEqual(['1003', 'r2'])
  })
})
