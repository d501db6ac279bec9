import { sql } from 'kysely'
import type { UpstreamDatabase } from '../../db/index.js'
import { replicaRouterOf } from '../../db/internal.js'
import { toDatabaseError, ValidationError } from '../../errors/index.js'

/**
 * One upload the sweep moved from `processing` to `failed`.
 *
 * @example
 * ```ts
 * const swept: AbandonedUpload = { customerId: 7, uploadId: 12 }
 * ```
 */
export interface AbandonedUpload {
  readonly customerId: number
  readonly uploadId: number
}

/**
 * Options of {@link failAbandonedUploads}.
 *
 * @example
 * ```ts
 * const options: FailAbandonedUploadsOptions = { olderThanMs: 5 * 60_000 }
 * ```
 */
export interface FailAbandonedUploadsOptions {
  /** Only uploads that entered `processing` at least this long ago (ms). Default 60,000. */
  readonly olderThanMs?: number
  /** The `error_message` they get. Default {@link ABANDONED_UPLOAD_MESSAGE}. */
  readonly message?: string
}

/**
 * The `error_message` of an upload the sweep failed.
 *
 * @example
 * ```ts
 * ABANDONED_UPLOAD_MESSAGE // 'The process loading this upload stopped before it finished; nothing was loaded. Upload the file again.'
 * ```
 */
export const ABANDONED_UPLOAD_MESSAGE = 'The process loading this upload stopped before it finished; nothing was loaded. Upload the file again.'

/**
 * Moves every upload that a dead process left `processing` to `failed`, across all
 * tenants, with {@link ABANDONED_UPLOAD_MESSAGE}, and returns them. An upload counts as
 * abandoned when it entered `processing` more than `olderThanMs` ago and no session holds
 * its row lock: a load holds that lock for as long as it runs, and PostgreSQL releases it
 * when the loading process dies or loses its connection. So a long upload in progress is
 * never touched, however old, and nothing depends on clocks or heartbeats. (A load that
 * failed while the database was unreachable, so that recording its failure failed too, is
 * swept the same way.) Safe to run from any number of processes at once.
 *
 * Runs as the connection's role (the owner that ran the migrations); the runtime role
 * cannot call it. With replicas (or a shared LSN store) each swept tenant's position is
 * recorded, as after a tenant write, so its reads see the upload `failed`. Usually run by {@link startUploadSweeper}.
 *
 * @example
 * ```ts
 * const swept = await failAbandonedUploads(upstream, { olderThanMs: 60_000 })
 * for (const { customerId, uploadId } of swept) logger.warn({ customerId, uploadId }, 'abandoned upload failed')
 * ```
 */
export async function failAbandonedUploads<DB>(upstream: UpstreamDatabase<DB>, options: FailAbandonedUploadsOptions = {}): Promise<AbandonedUpload[]> {
  const olderThanMs = options.olderThanMs ?? 60_000
  if (!Number.isFinite(olderThanMs) || olderThanMs < 0) throw new ValidationError({ olderThanMs: ['Must be a non-negative number of milliseconds.'] })
  const fn = sql.id(upstream.schema, 'fail_abandoned_uploads')
  try {
    const { rows } = await sql<{ customer_id: number; upload_id: number }>`
      select customer_id, upload_id from ${fn}(make_interval(secs => ${olderThanMs / 1000}), ${options.message ?? ABANDONED_UPLOAD_MESSAGE})`.execute(upstream.db)
    const swept = rows.map((r) => Object.freeze({ customerId: Number(r.customer_id), uploadId: Number(r.upload_id) }))
    // with replicas or a shared LSN store: each swept tenant's reads see its upload `failed`
    const router = replicaRouterOf(upstream.db)?.router
    if (router) for (const customerId of new Set(swept.map((s) => s.customerId))) await router.afterWrite(customerId, upstream.db)
    return swept
  } catch (error) {
    throw toDatabaseError(error)
  }
}
