/**
 * The JSON answer of an error a framework raised on its own (a malformed request it
 * refused before the upstream core saw it, a bug in the glue): the status it asked for when
 * it is a 4xx, else 500, with a fixed `detail` and never its message, stack or file paths.
 *
 * @example
 * ```ts
 * const { status, body } = frameworkErrorBody(err) // { status: 400, body: { detail: 'Bad request.' } }
 * ```
 */
export function frameworkErrorBody(error: unknown): { status: number; body: { detail: string } } {
  const raw = typeof error === 'object' && error !== null ? ((error as { status?: unknown; statusCode?: unknown }).status ?? (error as { statusCode?: unknown }).statusCode) : undefined
  const status = typeof raw === 'number' && raw >= 400 && raw < 500 ? raw : 500
  const detail = status === 413 ? 'Request body too large.' : status === 404 ? 'Not found.' : status < 500 ? 'Bad request.' : 'A server error occurred.'
  return { status, body: { detail } }
}
