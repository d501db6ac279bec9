import { ValidationError } from '../errors/index.js'

/**
 * A `cursor` that is malformed, tampered with, signed with another secret, or made for another
 * list, ordering, filter, search or tenant: HTTP 400 `{"cursor": ["..."]}`.
 *
 * @example
 * ```ts
 * if (e instanceof InvalidCursorError) console.log(e.fields.cursor) // ['Invalid cursor.']
 * ```
 */
export class InvalidCursorError extends ValidationError {
  constructor(message = 'Invalid cursor.', options?: { cause?: unknown }) {
    super({ cursor: [message] }, options)
  }
}
