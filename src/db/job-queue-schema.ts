import { ValidationError } from '../errors/index.js'

/**
 * The PostgreSQL schema of the job queue (graphile-worker's tables and functions) that
 * belongs to a library schema: `<schema>_jobs` (`upstream_jobs` by default). Derived, never
 * configured, so an API process and its workers cannot disagree on it, and two library
 * schemas in one database (two apps, or two test files) never share a queue.
 *
 * @example
 * ```ts
 * jobQueueSchemaName('upstream') // 'upstream_jobs'
 * jobQueueSchemaName(upstream.schema)
 * ```
 */
export function jobQueueSchemaName(schema: string): string {
  const name = `${schema}_jobs`
  if (name.length > 63) {
    throw new ValidationError({ schema: [`"${schema}" is too long for a job queue schema ("${name}" exceeds 63 characters).`] })
  }
  return name
}
