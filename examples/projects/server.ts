import { createServer } from 'node:http'
import { createDatabase, migrateToLatest } from '@upstreamjs/upstream/db'
import { createCustomer, forTenant } from '@upstreamjs/upstream/tenancy'
import { createApp } from './create-app.js'
import type { ProjectsDatabase } from './database.js'
import { projectsMigrations } from './migrations.js'

// A real PostgreSQL from DATABASE_URL; without it, an embedded in-memory PGlite, said out loud.
const url = process.env.DATABASE_URL
if (!url) console.error('[projects example] DATABASE_URL is not set: using an embedded in-memory PGlite database (data is lost on exit)')
const upstream = await createDatabase<ProjectsDatabase>(url ? { connectionString: url } : { embedded: true })
await migrateAndSeed()
const server = createServer(createApp({ upstream })).listen(Number(process.env.PORT ?? 0), () => {
  const address = server.address()
  console.log(`[projects example] listening on http://localhost:${typeof address === 'object' && address ? address.port : '?'}/api/v1/projects/`)
})

async function migrateAndSeed(): Promise<void> {
  await migrateToLatest(upstream, { sets: [projectsMigrations] })
  const customer = await createCustomer(upstream, `projects-demo-${Date.now()}`)
  const { token } = await forTenant(upstream, customer.id).transaction(({ apiKeys }) => apiKeys.create({ label: 'demo' }))
  console.log(`[projects example] tenant ${customer.id}, API key: ${token}`)
}
