import type { Span } from '@opentelemetry/api'
import { sql } from 'kysely'
import type { DriftEvent, DriftReport } from '../core/index.js'
import { UniqueViolationError } from '../../errors/index.js'
import type { ClaimsTenantContext, ClaimsTenantScope } from '../core/index.js'
import type { DriftReportKey } from '../repositories/index.js'
import type { TransactionOptions } from '../../transactions/index.js'
import { inSpan, TRACE_ATTRIBUTES } from '../../tracing/index.js'
import { analyzeDrift, type DriftTest } from './analyze-drift.js'
import type { DriftGroupStats } from './drift-group-stats.js'
import { driftLockKey } from './drift-lock-key.js'
import { DriftSubscriberRegistry, notifyDriftSubscribers, type DriftNotice, type DriftSubscriber } from './drift-subscribers.js'
import { driftWindows } from './drift-windows.js'
import { parseDriftParams } from './parse-drift-params.js'
import { queryDriftAggregates } from './query-drift-aggregates.js'

/**
 * The unique constraint that makes "one report per tenant and parameters" a database fact.
 *
 * @example
 * ```ts
 * if (e instanceof UniqueViolationError && e.constraint === DRIFT_REPORT_PARAMETERS_KEY) { ... }
 * ```
 */
export const DRIFT_REPORT_PARAMETERS_KEY = 'drift_reports_parameters_key'

/**
 * Options of {@link detectDrift}.
 *
 * @example
 * ```ts
 * const options: DetectDriftOptions = {
 *   subscribers: registry, // a DriftSubscriberRegistry, or an array of subscribers
 *   onSubscriberError: (error, { report }) => logger.error({ err: error, reportId: report.id }, 'drift subscriber failed'),
 *   transaction: { maxAttempts: 5, statementTimeoutMs: 30_000 },
 *   signal: request.signal, // the HTTP client went away: the aggregate stops, nothing is stored
 * }
 * await detectDrift(claimsTenant(upstream, 7), body, options)
 * ```
 */
export interface DetectDriftOptions {
  /** Called with each new (created or replaced) report after its transaction commits. */
  readonly subscribers?: readonly DriftSubscriber[] | DriftSubscriberRegistry
  /** Told about each subscriber that throws; the report stays. */
  readonly onSubscriberError?: (error: unknown, notice: DriftNotice) => void
  /**
   * Runs inside the report's transaction, after a new (created or replaced) report and its
   * events are written: what it writes commits with the report or not at all. Durable
   * notifications use it to enqueue one job per subscriber (see `claimsJobTasks`), so a crash
   * after the commit loses none. It may run more than once if the transaction is retried.
   */
  readonly afterStore?: (context: ClaimsTenantContext, notice: DriftNotice) => Promise<void>
  /** Retry and timeout settings of the run's transaction (its isolation is always read committed, see the guide). */
  readonly transaction?: Pick<TransactionOptions, 'maxAttempts' | 'baseDelayMs' | 'maxDelayMs' | 'lockTimeoutMs' | 'statementTimeoutMs' | 'onRetry'>
  /**
   * Cancels the run: before its transaction commits, an abort cancels the running statement in
   * PostgreSQL (the aggregate, or the wait for the advisory lock), rolls back (no report is
   * stored) and rejects with `RequestAbortedError`; no subscriber runs. After the commit the
   * run completes.
   */
  readonly signal?: AbortSignal
}

/**
 * What the figures of a freshly computed report came from: not stored, returned once for
 * logging, debugging or an audit trail.
 *
 * @example
 * ```ts
 * const { computation } = await detectDrift(claimsTenant(upstream, 7), { as_of: '2026-06-01' })
 * if (computation) console.table(computation.tests.map((t) => [t.payer_name, t.metric, t.p_value, t.adjusted_p_value]))
 * ```
 */
export interface DriftComputation {
  /** Per group, both windows' aggregates, from the one aggregate statement (one snapshot). */
  readonly groups: readonly DriftGroupStats[]
  /** Every test of the run with raw and adjusted p-values (events are the significant ones). */
  readonly tests: readonly DriftTest[]
}

/**
 * The result of {@link detectDrift}.
 *
 * @example
 * ```ts
 * const detection: DriftDetection = await detectDrift(claimsTenant(upstream, 7), req.body)
 * if (detection.subscriberErrors.length > 0) logger.warn('some drift subscribers failed')
 * res.status(detection.created ? 201 : 200).json(presentDriftReportDetail(detection.report, detection.events))
 * ```
 */
export interface DriftDetection {
  /** The stored report. */
  readonly report: DriftReport
  /** Its stored events. */
  readonly events: DriftEvent[]
  /** `true` when this call computed and stored the report (HTTP 201); `false` when it existed (HTTP 200). */
  readonly created: boolean
  /** `true` when `force` replaced an earlier report with the same parameters. */
  readonly replaced: boolean
  /** The aggregates and tests behind the report; present only when `created`. */
  readonly computation: DriftComputation | undefined
  /** Errors thrown by subscribers (also given to `onSubscriberError`); empty when all went well. */
  readonly subscriberErrors: readonly unknown[]
}

function subscriberList(subscribers: DetectDriftOptions['subscribers']): readonly DriftSubscriber[] {
  if (!subscribers) return []
  return subscribers instanceof DriftSubscriberRegistry ? subscribers.list() : subscribers
}

/**
 * Runs drift detection for one tenant (docs/http-api.md) and stores the report with its events.
 *
 * One read-committed transaction:
 * 1. `pg_advisory_xact_lock` on a key of (schema, tenant, parameters): identical runs queue here;
 * 2. the report with these parameters, if one exists and `force` is false, is returned
 *    (`created: false`): the queued losers of a race see the winner's committed report;
 * 3. otherwise ONE aggregate statement ({@link queryDriftAggregates}) reads every figure from
 *    one snapshot, {@link analyzeDrift} tests them, and the report and its events are written
 *    (with `force`, after deleting the old report and, by cascade, its events: readers see
 *    the old pair or the new pair, never a report without its events).
 *
 * Should the lock ever be bypassed, the unique constraint `drift_reports_parameters_key`
 * still refuses a second report and the loser returns the winner's. Deadlocks are retried by
 * the transaction service. Subscribers run only after the commit, for created or replaced
 * reports; a failing subscriber never undoes the report.
 *
 * It never locks claim rows: `SELECT ... FOR UPDATE` would block uploads on up to millions of
 * rows and still let new rows appear between statements under read committed. The row-locking
 * primitive stays available as `claims.forUpdateInWindow(start, end, { nowait, skipLocked })`
 * for callers that need it (see docs/drift-detection.md).
 *
 * Traced as one `drift run` span (group-by, as-of date, force, report id, created or
 * replaced, groups tested, events) over its transaction and statements, once the app installs
 * an OpenTelemetry SDK.
 *
 * @param params - the request body; validated with {@link driftParamsSchema}
 * @throws {@link errors!ValidationError} on a bad body (before any database work)
 *
 * @example
 * ```ts
 * const tenant = claimsTenant(upstream, 7)
 * const { report, events, created } = await detectDrift(tenant, { as_of: '2026-06-01', group_by: 'payer' }, {
 *   subscribers: [({ report }) => console.log('new drift report', report.id)],
 * })
 * res.status(created ? 201 : 200).json(presentDriftReportDetail(report, events))
 * ```
 */
export function detectDrift(tenant: ClaimsTenantScope, params: unknown, options: DetectDriftOptions = {}): Promise<DriftDetection> {
  return inSpan('drift run', {}, async (span) => {
    const detection = await detect(tenant, params, options, span)
    if (span.isRecording()) {
      span.setAttributes({
        [TRACE_ATTRIBUTES.driftReportId]: detection.report.id,
        [TRACE_ATTRIBUTES.driftCreated]: detection.created,
        [TRACE_ATTRIBUTES.driftReplaced]: detection.replaced,
        [TRACE_ATTRIBUTES.driftGroupsTested]: detection.report.groups_tested,
        [TRACE_ATTRIBUTES.driftEvents]: detection.report.events_count,
      })
    }
    return detection
  })
}

async function detect(tenant: ClaimsTenantScope, params: unknown, options: DetectDriftOptions, span: Span): Promise<DriftDetection> {
  const p = parseDriftParams(params)
  if (span.isRecording()) {
    span.setAttributes({ [TRACE_ATTRIBUTES.driftGroupBy]: p.group_by, [TRACE_ATTRIBUTES.driftAsOf]: p.as_of, [TRACE_ATTRIBUTES.driftForce]: p.force })
  }
  const windows = driftWindows(p)
  const key: DriftReportKey = {
    as_of: windows.as_of,
    baseline_start: windows.baseline_start,
    current_start: windows.current_start,
    group_by: p.group_by,
    min_claims: p.min_claims,
    alpha: p.alpha,
  }
  const { schema } = tenant.upstream
  const lockKey = driftLockKey(schema, tenant.customerId, key)

  let outcome: Omit<DriftDetection, 'subscriberErrors'>
  try {
    outcome = await tenant.transaction(
      async (context) => {
        const { db, driftReports, customerId } = context
        await sql`select pg_advisory_xact_lock(${lockKey}::bigint)`.execute(db)
        const existing = await driftReports.findByKey(key)
        if (existing && !p.force) {
          return { report: existing, events: await driftReports.events(existing.id), created: false, replaced: false, computation: undefined }
        }
        const started = performance.now()
        const groups = await queryDriftAggregates(db, { schema, customerId, windows, groupBy: p.group_by })
        const analysis = analyzeDrift(groups, p)
        const durationMs = performance.now() - started
        if (existing) await driftReports.delete(existing.id)
        const report = await driftReports.create({
          ...key,
          baseline_end: windows.baseline_end,
          current_end: windows.current_end,
          groups_tested: analysis.groups_tested,
          events_count: analysis.events.length,
          duration_ms: durationMs,
        })
        const events = await driftReports.insertEvents(report.id, analysis.events)
        await options.afterStore?.(context, { customerId, report, events, replaced: existing !== undefined })
        return { report, events, created: true, replaced: existing !== undefined, computation: { groups, tests: analysis.tests } }
      },
      { ...options.transaction, isolation: 'read committed', ...(options.signal ? { signal: options.signal } : {}) },
    )
  } catch (error) {
    if (!(error instanceof UniqueViolationError && error.constraint === DRIFT_REPORT_PARAMETERS_KEY)) throw error
    // Lost a race the advisory lock did not see: return the winner's report.
    const winner = await tenant.transaction(
      async ({ driftReports }) => {
        const report = await driftReports.findByKey(key)
        return report ? { report, events: await driftReports.events(report.id) } : undefined
      },
      { isolation: 'repeatable read', readOnly: true, maxAttempts: 1, ...(options.signal ? { signal: options.signal } : {}) },
    )
    if (!winner) throw error
    return { ...winner, created: false, replaced: false, computation: undefined, subscriberErrors: [] }
  }

  if (!outcome.created) return { ...outcome, subscriberErrors: [] }
  const notice: DriftNotice = { customerId: tenant.customerId, report: outcome.report, events: outcome.events, replaced: outcome.replaced }
  const subscriberErrors = await notifyDriftSubscribers(subscriberList(options.subscribers), notice, options.onSubscriberError)
  return { ...outcome, subscriberErrors }
}
