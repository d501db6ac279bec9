import type { DriftEvent, DriftReport } from '../core/index.js'

/**
 * What a subscriber receives after a report's transaction has committed.
 *
 * @example
 * ```ts
 * const subscriber: DriftSubscriber = ({ customerId, report, events, replaced }: DriftNotice) =>
 *   console.log(`customer ${customerId}: report ${report.id} ${replaced ? 'replaced' : 'created'}, ${events.length} events`)
 * ```
 */
export interface DriftNotice {
  /** The tenant. */
  readonly customerId: number
  /** The new report, as stored. */
  readonly report: DriftReport
  /** Its events, as stored. */
  readonly events: readonly DriftEvent[]
  /** `true` when it replaced an earlier report with the same parameters (`force`). */
  readonly replaced: boolean
}

/**
 * A hook for notifications (mail, a queue, a webhook): called after the report is
 * committed, never inside its transaction. It may be async; a throw or rejection is
 * reported to `onSubscriberError` and never undoes the report. Subscribers run one after
 * another and {@link detectDrift} awaits them before it returns, so a slow subscriber
 * delays the answer: hand slow work to a queue.
 *
 * @example
 * ```ts
 * const alertOnHigh: DriftSubscriber = async ({ customerId, events }) => {
 *   const high = events.filter((e) => e.severity === 'high')
 *   if (high.length > 0) await queue.add('drift-alert', { customerId, eventIds: high.map((e) => e.id) })
 * }
 * await detectDrift(claimsTenant(upstream, 7), { as_of: '2026-06-01' }, { subscribers: [alertOnHigh] })
 * ```
 */
export type DriftSubscriber = (notice: DriftNotice) => void | Promise<void>

/**
 * A mutable set of subscribers an application registers once and passes to every
 * {@link detectDrift} call.
 *
 * @example
 * ```ts
 * const subscribers = new DriftSubscriberRegistry()
 * const unsubscribe = subscribers.subscribe(async ({ report, events }) => notify(report.id, events.length))
 * await detectDrift(tenant, body, { subscribers })
 * unsubscribe()
 * ```
 */
export class DriftSubscriberRegistry {
  readonly #subscribers = new Set<DriftSubscriber>()

  /** Adds a subscriber; returns the function that removes it. */
  subscribe(subscriber: DriftSubscriber): () => void {
    this.#subscribers.add(subscriber)
    return () => void this.#subscribers.delete(subscriber)
  }

  /** The current subscribers, in registration order. */
  list(): readonly DriftSubscriber[] {
    return [...this.#subscribers]
  }
}

/**
 * Calls every subscriber in turn (awaiting each), collecting failures instead of throwing.
 *
 * @example
 * ```ts
 * const failures = await notifyDriftSubscribers([log, mail], notice)
 * ```
 */
export async function notifyDriftSubscribers(
  subscribers: readonly DriftSubscriber[],
  notice: DriftNotice,
  onError?: (error: unknown, notice: DriftNotice) => void,
): Promise<unknown[]> {
  const failures: unknown[] = []
  for (const subscriber of subscribers) {
    try {
      await subscriber(notice)
    } catch (error) {
      failures.push(error)
      try {
        onError?.(error, notice)
      } catch {
        // an error handler that throws must not undo the report either
      }
    }
  }
  return failures
}
