import { createHash } from 'node:crypto'
import type { DriftReportKey } from '../repositories/index.js'

/**
 * The 64-bit key of the advisory transaction lock (`pg_advisory_xact_lock(bigint)`) that
 * serializes drift runs with the same parameters for one tenant: the first 8 bytes of a
 * SHA-256 over the schema, the tenant and the report's unique key, as a signed bigint
 * (decimal string). Advisory locks are database-wide, so the schema is part of the key.
 * Runs with other parameters, or of other tenants, never wait on each other.
 *
 * @example
 * ```ts
 * driftLockKey('upstream', 7, { as_of: '2026-06-01', baseline_start: '2026-02-01', current_start: '2026-05-02',
 *   group_by: 'payer', min_claims: 30, alpha: 0.05 }) // '-4718...'
 * ```
 */
export function driftLockKey(schema: string, customerId: number, key: DriftReportKey): string {
  const text = JSON.stringify([
    'upstream.drift', schema, customerId, key.as_of, key.baseline_start, key.current_start, key.group_by, key.min_claims, key.alpha,
  ])
  const digest = createHash('sha256').update(text).digest()
  return digest.readBigInt64BE(0).toString()
}
