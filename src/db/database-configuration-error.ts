import { UpstreamError } from '../errors/index.js'

/**
 * {@link createDatabase} was called with neither a connection string nor `embedded: true`:
 * usually a deploy with `DATABASE_URL` unset. Refused, so that a production process never
 * runs on a throwaway in-memory database.
 *
 * @example
 * ```ts
 * try {
 *   await createDatabase({ connectionString: process.env.DATABASE_URL })
 * } catch (error) {
 *   if (error instanceof DatabaseConfigurationError) console.error('set DATABASE_URL')
 *   throw error
 * }
 * ```
 */
export class DatabaseConfigurationError extends UpstreamError {
  readonly code = 'database_configuration'
  constructor() {
    super('No database: give createDatabase a connectionString (is DATABASE_URL set?), or embedded: true for an in-memory PGlite database.')
  }
}
