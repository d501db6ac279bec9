import type { Readable } from 'node:stream'
import { MalformedBodyError } from './errors/malformed-body-error.js'
import { RequestBodyTooLargeError } from './errors/request-body-too-large-error.js'
import { UnsupportedMediaTypeError } from './errors/unsupported-media-type-error.js'
import type { HttpRequest } from './http-request.js'
import type { JsonValue } from './json-value.js'
import { headerValue, mediaTypeOf } from './media-type.js'

/** JSON objects as objects without a prototype: a client's `__proto__`, `constructor` or `toString` key is just a key. */
function withoutPrototype(_key: string, value: unknown): unknown {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.assign(Object.create(null) as object, value) : value
}

/**
 * Reads a JSON request body, at most `limitBytes` (413 past it, checked on
 * `Content-Length` first and again while reading: reading stops there). An empty body reads
 * as `{}` (as in DRF); a non-empty body must be `application/json` (415 otherwise) and parse
 * (400). Objects come back without a prototype (`Object.create(null)`), so a key such as
 * `__proto__`, `constructor` or `toString` is an own key like any other (a strict schema then
 * refuses it as an unknown field), never an inherited member.
 *
 * @example
 * ```ts
 * const body = await readJsonBody(request, 1024 * 1024)
 * ```
 */
export async function readJsonBody(request: HttpRequest, limitBytes: number): Promise<JsonValue> {
  const declared = Number(headerValue(request.headers['content-length']) ?? NaN)
  if (Number.isFinite(declared) && declared > limitBytes) throw new RequestBodyTooLargeError(limitBytes)
  const bytes = request.body ? await readAll(request.body, limitBytes) : Buffer.alloc(0)
  if (bytes.length === 0) return {}
  const mediaType = mediaTypeOf(request.headers)
  if (mediaType !== 'application/json' && !/^application\/[\w.+-]+\+json$/.test(mediaType)) throw new UnsupportedMediaTypeError(mediaType)
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch (cause) {
    throw new MalformedBodyError('JSON parse error - the body is not valid UTF-8.', { cause })
  }
  try {
    return JSON.parse(text, withoutPrototype) as JsonValue
  } catch (cause) {
    throw new MalformedBodyError(`JSON parse error - ${cause instanceof Error ? cause.message : 'invalid JSON'}`, { cause })
  }
}

/**
 * Collects the body; past the limit it stops reading (the listener removed, the stream
 * paused) and rejects: the 413 goes out with `Connection: close`, so the rest is never read.
 */
function readAll(body: NodeJS.ReadableStream | Readable, limitBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    let failed = false
    const onData = (chunk: Buffer | string) => {
      if (failed) return
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
      size += buffer.length
      if (size > limitBytes) {
        failed = true
        chunks.length = 0
        body.off('data', onData)
        body.pause()
        reject(new RequestBodyTooLargeError(limitBytes))
        return
      }
      chunks.push(buffer)
    }
    body.on('data', onData)
    body.once('end', () => failed || resolve(Buffer.concat(chunks)))
    body.once('error', (error) => failed || ((failed = true), reject(error)))
  })
}
