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
  // on DATABASE_MIGRATION_URL (a direct connection) when set; safe through PgBouncer either way
  const migrationUrl = url && process.env.DATABASE_MIGRATION_URL
  const direct = migrationUrl && migrationUrl !== url ? await createDatabase<ProjectsDatabase>({ connectionString: migrationUrl, pool: { max: 1 } }) : undefined
  try {
    await migrateToLatest(direct ?? upstream, { sets: [projectsMigrations] })
  } finally {
    await direct?.destroy()
  }
  const customer = await createCustomer(upstream, `projects-demo-${Date.now()}`)
  const { token } = await forTenant(upstream, customer.id).transaction(({ apiKeys }) => apiKeys.create({ label: 'demo' }))
  console.log(`[projects example] tenant ${customer.id}, API key: ${token}`)
}
