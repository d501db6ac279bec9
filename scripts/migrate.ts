import { claimsMigrations, type ClaimsDatabase } from '../src/claims/index.js'
/**
 * `npm run migrate [-- --schema NAME]`: runs the shipped migrations against
 * DATABASE_MIGRATION_URL (a direct connection), else DATABASE_URL (PgBouncer in transaction
 * mode is fine: migrations take a transaction-scoped lock), and prints the ones it applied.
 */
import { parseArgs } from 'node:util'
import { createDatabase } from '../src/db/create-database.js'
import { migrateToLatest } from '../src/db/migrate-to-latest.js'

let schema: string
try {
  const { values } = parseArgs({ args: process.argv.slice(2).filter((a) => a !== '--'), strict: true, options: { schema: { type: 'string' } } })
  schema = values.schema ?? 'upstream'
} catch (error) {
  console.error(`migrate: ${error instanceof Error ? error.message : error}\nUsage: npm run migrate [-- --schema NAME]`)
  process.exit(2)
}
const url = process.env.DATABASE_MIGRATION_URL || process.env.DATABASE_URL
if (!url) {
  console.error('migrate: neither DATABASE_MIGRATION_URL nor DATABASE_URL is set (e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run migrate).')
  process.exit(2)
}
try {
  const upstream = await createDatabase<ClaimsDatabase>({ connectionString: url, schema })
  try {
    const applied = await migrateToLatest(upstream, { sets: [claimsMigrations] })
    console.log(applied.length ? `Applied to schema ${schema}:\n${applied.map((m) => `  ${m}`).join('\n')}` : `Schema ${schema} is up to date.`)
  } finally {
    await upstream.destroy()
  }
} catch (error) {
  console.error('migrate failed:', error instanceof Error ? error.message : error)
  process.exitCode = 1
}
