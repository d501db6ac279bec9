import {
  DatabaseUnavailableError,
  DeadlockError,
  LockNotAvailableError,
  PoolExhaustedError,
  ReadOnlyDatabaseError,
  SerializationFailureError,
  StatementTimeoutError,
  UniqueViolationError,
} from '../errors/database-errors.js'
import { NotFoundError } from '../errors/not-found-error.js'
import { InvalidPageError } from '../list-query/invalid-page-error.js'
import { toDatabaseError } from '../errors/to-database-error.js'
import { UpstreamError } from '../errors/upstream-error.js'
import { ValidationError } from '../errors/validation-error.js'
import { AuthenticationFailedError } from './errors/authentication-failed-error.js'
import { InvalidHostError } from './errors/invalid-host-error.js'
import { MalformedBodyError } from './errors/malformed-body-error.js'
import { MethodNotAllowedError } from './errors/method-not-allowed-error.js'
import { NotAuthenticatedError } from './errors/not-authenticated-error.js'
import { PermissionDeniedError } from './errors/permission-denied-error.js'
import { RequestBodyTooLargeError } from './errors/request-body-too-large-error.js'
import { ThrottledError } from './errors/throttled-error.js'
import { ThrottleUnavailableError } from './errors/throttle-unavailable-error.js'
import { UnsupportedMediaTypeError } from './errors/unsupported-media-type-error.js'
import type { HttpLogger } from './http-logger.js'
import { jsonResponse, type HttpResponse } from './http-response.js'
import type { JsonValue } from './json-value.js'
import { presentUpload } from '../claims/http/presenters/upload-presenter.js'
import type { Upload } from '../claims/database.js'

/**
 * Fixed client messages: never an error's own message where it could carry SQL or names.
 *
 * @example
 * ```ts
 * ERROR_DETAILS.serverError // 'A server error occurred.'
 * ```
 */
export const ERROR_DETAILS = Object.freeze({
  notFound: 'Not found.',
  invalidPage: 'Invalid page.',
  conflictLocked: 'The resource is being changed by another request. Try again.',
  conflictExists: 'A resource with the same key already exists.',
  unavailable: 'Service temporarily unavailable, try again later.',
  readOnly: 'The database is read-only at the moment (a replica or a server in recovery); writes are refused. Try again later.',
  busy: 'The server is busy: no database connection became free in time. Try again later.',
  serverError: 'A server error occurred.',
  bodyUnreadable: 'The request body could not be read.',
})

const BEARER_CHALLENGE = { 'www-authenticate': 'Bearer' }
const CLOSE = { connection: 'close' }

function codeOf(error: unknown): string | undefined {
  return error instanceof UpstreamError ? error.code : undefined
}

/** The shape of the ingestion service's `IngestionFailedError` (matched by its `code`, `ingestion_failed`). */
interface IngestionFailure {
  readonly message: string
  readonly upload?: Upload
  readonly errors?: readonly { readonly line: number; readonly column: string | null; readonly message: string }[]
}

function ingestionFailedBody(error: IngestionFailure): JsonValue {
  return {
    detail: error.message,
    upload: error.upload ? presentUpload(error.upload) : null,
    errors: (error.errors ?? []).map((r) => ({ line: r.line, column: r.column ?? null, message: r.message })),
  }
}

/**
 * Maps any error to its HTTP answer: the one place that does (CONTRACT section 2).
 * Expected failures become their status and DRF-shaped body; anything else is logged
 * (with its stack) and answered 500 `{"detail": "A server error occurred."}`, so no stack,
 * SQL or SQLSTATE ever reaches a client.
 *
 * | error | status |
 * |---|---|
 * | `ValidationError` | 400, body = `error.fields` |
 * | `InvalidHostError` | 400 `{"detail": "Invalid Host header."}` |
 * | `MalformedBodyError`, ingestion's `upload_body_error` | 400 `{"detail"}` |
 * | `NotAuthenticatedError`, `AuthenticationFailedError` | 401 + `WWW-Authenticate: Bearer` |
 * | `PermissionDeniedError` | 403 |
 * | `NotFoundError` / `InvalidPageError` | 404 `Not found.` / `Invalid page.` |
 * | `MethodNotAllowedError` | 405 + `Allow` |
 * | `LockNotAvailableError`, `UniqueViolationError`, ingestion's `upload_status_conflict` | 409 |
 * | `RequestBodyTooLargeError`, ingestion's `payload_too_large` / `too_many_rows` | 413 + `Connection: close` |
 * | `UnsupportedMediaTypeError` | 415 |
 * | ingestion's `ingestion_failed` | 422 `{"detail", "upload", "errors"}` |
 *
 * Errors of the services are matched by their stable `code` (`invalid_page`, `upload_body_error`,
 * `payload_too_large`, `too_many_rows`, `ingestion_failed`, `upload_status_conflict`).
 * | `ThrottledError` | 429 + `Retry-After` |
 * | unavailable, pool exhausted, read-only database, throttle store unavailable (fail closed), serialization failure, deadlock, statement timeout | 503 + `Retry-After` |
 *
 * @example
 * ```ts
 * try { return await work() } catch (error) { return errorResponse(error, logger) }
 * ```
 */
export function errorResponse(error: unknown, logger: HttpLogger): HttpResponse {
  const e = toDatabaseError(error)
  if (e instanceof ValidationError) return jsonResponse(400, e.fields as JsonValue)
  if (e instanceof MalformedBodyError) return jsonResponse(400, { detail: e.message })
  if (codeOf(e) === 'upload_body_error') return jsonResponse(400, { detail: ERROR_DETAILS.bodyUnreadable })
  if (e instanceof NotAuthenticatedError || e instanceof AuthenticationFailedError) {
    return jsonResponse(401, { detail: e.message }, BEARER_CHALLENGE)
  }
  if (e instanceof PermissionDeniedError) return jsonResponse(403, { detail: e.message })
  if (e instanceof InvalidPageError || codeOf(e) === 'invalid_page') return jsonResponse(404, { detail: ERROR_DETAILS.invalidPage })
  if (e instanceof NotFoundError) return jsonResponse(404, { detail: ERROR_DETAILS.notFound })
  if (e instanceof MethodNotAllowedError) return jsonResponse(405, { detail: e.message }, { allow: e.allowed.join(', ') })
  if (e instanceof LockNotAvailableError) return jsonResponse(409, { detail: ERROR_DETAILS.conflictLocked })
  if (e instanceof UniqueViolationError) return jsonResponse(409, { detail: ERROR_DETAILS.conflictExists })
  if (codeOf(e) === 'upload_status_conflict') return jsonResponse(409, { detail: ERROR_DETAILS.conflictLocked })
  // the rest of the body is not read: the connection closes after the answer
  if (e instanceof RequestBodyTooLargeError) return jsonResponse(413, { detail: e.message }, CLOSE)
  if (codeOf(e) === 'payload_too_large' || codeOf(e) === 'too_many_rows') return jsonResponse(413, { detail: (e as Error).message }, CLOSE)
  if (e instanceof UnsupportedMediaTypeError) return jsonResponse(415, { detail: e.message })
  if (codeOf(e) === 'ingestion_failed') return jsonResponse(422, ingestionFailedBody(e as IngestionFailure))
  if (e instanceof ThrottledError) return jsonResponse(429, { detail: e.message }, { 'retry-after': String(e.retryAfterSeconds) })
  if (e instanceof InvalidHostError) return jsonResponse(400, { detail: e.message })
  if (e instanceof ThrottleUnavailableError) {
    logger.warn({ err: e, code: e.code }, e.message)
    return jsonResponse(503, { detail: ERROR_DETAILS.unavailable }, { 'retry-after': String(e.retryAfterSeconds) })
  }
  if (e instanceof ReadOnlyDatabaseError || e instanceof PoolExhaustedError) {
    logger.warn({ err: e, code: e.code }, e.message)
    return jsonResponse(503, { detail: e instanceof ReadOnlyDatabaseError ? ERROR_DETAILS.readOnly : ERROR_DETAILS.busy }, { 'retry-after': '1' })
  }
  if (
    e instanceof DatabaseUnavailableError ||
    e instanceof SerializationFailureError ||
    e instanceof DeadlockError ||
    e instanceof StatementTimeoutError
  ) {
    logger.warn({ err: e, code: e.code }, 'database unavailable or retries exhausted')
    return jsonResponse(503, { detail: ERROR_DETAILS.unavailable }, { 'retry-after': '1' })
  }
  logger.error({ err: e }, 'unhandled error')
  return jsonResponse(500, { detail: ERROR_DETAILS.serverError })
}
