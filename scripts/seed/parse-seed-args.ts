import { parseArgs } from 'node:util'
import { assertIdentifier } from '../../src/db/identifier.js'
import { PAYERS } from './catalog.js'

/** What `npm run seed` was asked to do. */
export interface SeedArgs {
  readonly customers: number
  readonly claimsPerCustomer: number
  readonly seed: number
  readonly schema: string
  readonly driftPayer: string | undefined
  readonly asOf: string | undefined
  readonly jobs: number
}

/** The usage text of `npm run seed`. */
export const SEED_USAGE = `Usage: npm run seed -- --customers N --claims-per-customer M --seed S [--drift-payer NAME] [--as-of YYYY-MM-DD] [--schema NAME] [--jobs J]

Seeds DATABASE_URL (migrating it first) with deterministic data and prints one JSON line
per customer: {"customer_id","name","token","read_token"}.
  --customers N             customers to create (default 3, at most 10000)
  --claims-per-customer M   claims per customer (default 1000, at most 10000000)
  --seed S                  integer seed; same arguments, same rows and tokens (default 1)
  --drift-payer NAME        plant a denial-rate rise for this payer in the last 30 days
  --as-of YYYY-MM-DD        the day the data runs up to (default today, UTC)
  --schema NAME             the library's schema (default upstream)
  --jobs J                  customers loaded at once, one connection each (default 2, at most 16);
                            rows, ids and tokens are the same whatever J`

/** Bad command-line arguments; `message` says which and why. */
export class SeedArgsError extends Error {
  override readonly name = 'SeedArgsError'
}

function integer(value: string | undefined, flag: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback
  if (!/^-?\d+$/.test(value.trim())) throw new SeedArgsError(`--${flag} must be an integer, got "${value}".`)
  const n = Number(value)
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new SeedArgsError(`--${flag} must be between ${min} and ${max}, got ${value}.`)
  return n
}

/**
 * Parses and checks the arguments of `npm run seed`. Unknown flags, missing values,
 * non-integers and out-of-range values throw a {@link SeedArgsError} with a clear message.
 *
 * @example
 * ```ts
 * parseSeedArgs(['--customers', '10', '--claims-per-customer', '100000', '--seed', '1'])
 * // { customers: 10, claimsPerCustomer: 100000, seed: 1, schema: 'upstream', driftPayer: undefined, asOf: undefined, jobs: 2 }
 * ```
 */
export function parseSeedArgs(argv: readonly string[]): SeedArgs {
  let values: Record<string, string | boolean | undefined>
  try {
    ;({ values } = parseArgs({
      args: argv.filter((a) => a !== '--'),
      strict: true,
      allowPositionals: false,
      options: {
        customers: { type: 'string' },
        'claims-per-customer': { type: 'string' },
        seed: { type: 'string' },
        'drift-payer': { type: 'string' },
        'as-of': { type: 'string' },
        schema: { type: 'string' },
        jobs: { type: 'string' },
      },
    }))
  } catch (error) {
    throw new SeedArgsError(error instanceof Error ? error.message : String(error))
  }
  const str = (k: string) => values[k] as string | undefined
  const driftPayer = str('drift-payer')
  if (driftPayer !== undefined && !PAYERS.some((p) => p.name === driftPayer)) {
    throw new SeedArgsError(`--drift-payer must be one of: ${PAYERS.map((p) => p.name).join(', ')}; got "${driftPayer}".`)
  }
  const asOf = str('as-of')
  if (asOf !== undefined) {
    const ok = /^\d{4}-\d{2}-\d{2}$/.test(asOf) && new Date(`${asOf}T00:00:00Z`).toISOString().slice(0, 10) === asOf
    if (!ok) throw new SeedArgsError(`--as-of must be a real date YYYY-MM-DD, got "${asOf}".`)
  }
  let schema = str('schema') ?? 'upstream'
  try {
    schema = assertIdentifier(schema, 'schema')
  } catch {
    throw new SeedArgsError(`--schema must be a lowercase PostgreSQL identifier, got "${schema}".`)
  }
  return Object.freeze({
    customers: integer(str('customers'), 'customers', 3, 1, 10_000),
    claimsPerCustomer: integer(str('claims-per-customer'), 'claims-per-customer', 1000, 0, 10_000_000),
    seed: integer(str('seed'), 'seed', 1, 0, 2 ** 31 - 1),
    schema,
    driftPayer,
    asOf,
    jobs: integer(str('jobs'), 'jobs', 2, 1, 16),
  })
}
