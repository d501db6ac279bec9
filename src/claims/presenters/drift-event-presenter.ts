import type { z } from 'zod'
import type { DriftEventSchema } from '../openapi/index.js'
import type { DriftEvent } from '../core/index.js'
import { presentTimestamp } from '../../http/index.js'

/**
 * A drift event as the API returns it (docs/http-api.md), with its id and report id: the row
 * without `customer_id`, its timestamp as ISO 8601 UTC.
 *
 * @example
 * ```ts
 * const event: DriftEventJson = presentDriftEvent(row)
 * ```
 */
export type DriftEventJson = Readonly<z.output<typeof DriftEventSchema>>

/**
 * A drift event row as JSON.
 *
 * @example
 * ```ts
 * presentDriftEvent(row) // { id: 4, report_id: 2, payer_name: 'Aetna', metric: 'denial_rate', delta: 0.12, ... }
 * ```
 */
export function presentDriftEvent(row: DriftEvent): DriftEventJson {
  return {
    id: row.id,
    report_id: row.report_id,
    payer_name: row.payer_name,
    cpt_code: row.cpt_code,
    metric: row.metric,
    baseline_value: Number(row.baseline_value),
    current_value: Number(row.current_value),
    delta: Number(row.delta),
    baseline_n: Number(row.baseline_n),
    current_n: Number(row.current_n),
    p_value: Number(row.p_value),
    adjusted_p_value: Number(row.adjusted_p_value),
    severity: row.severity,
    created_at: presentTimestamp(row.created_at)!,
  }
}
