import { claimsMigrations, type ClaimsDatabase } from '../src/claims/index.js'
/**
 * `npm run seed -- --customers N --claims-per-customer M --seed S`: migrates DATABASE_URL,
 * seeds it deterministically, prints one JSON line per customer on stdout (CONTRACT section 6).
 * Progress and errors go to stderr.
 */
import { createDatabase } from '../src/db/create-database.js'
import { migrateToLatest } from '../src/db/migrate-to-latest.js'
import { parseSeedArgs, SEED_USAGE, SeedArgsError } from './seed/parse-seed-args.js'
import { seedDatabase } from './seed/seed-database.js'

let args
try {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    console.log(SEED_USAGE)
    process.exit(0)
  }
  args = parseSeedArgs(process.argv.slice(2))
} catch (error) {
  if (!(error instanceof SeedArgsError)) throw error
  console.error(`seed: ${error.message}\n\n${SEED_USAGE}`)
  process.exit(2)
}
const url = process.env.DATABASE_URL
if (!url) {
  console.error('seed: DATABASE_URL is not set (e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run seed -- ...).')
  process.exit(2)
}

const upstream = await createDatabase<ClaimsDatabase>({ connectionString: url, schema: args.schema })
try {
  const started = performance.now()
  const applied = await migrateToLatest(upstream, { sets: [claimsMigrations] })
  if (applied.length) console.error(`seed: applied migrations ${applied.join(', ')}`)
  await seedDatabase(upstream, {
    customers: args.customers,
    claimsPerCustomer: args.claimsPerCustomer,
    seed: args.seed,
    driftPayer: args.driftPayer,
    asOf: args.asOf,
    concurrency: args.jobs,
    onCustomer: (c) => {
      process.stdout.write(`${JSON.stringify({ customer_id: c.customer_id, name: c.name, token: c.token, read_token: c.read_token })}\n`)
    },
  })
  console.error(`seed: ${args.customers} customer(s) x ${args.claimsPerCustomer} claims in ${((performance.now() - started) / 1000).toFixed(1)} s (schema ${args.schema})`)
} catch (error) {
  console.error('seed failed:', error instanceof Error ? error.message : error)
  process.exitCode = 1
} finally {
  await upstream.destroy()
}
