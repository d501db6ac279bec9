import { Readable } from 'node:stream'

/**
 * A CSV body: a Node `Readable` (an `IncomingMessage`, a file stream), a web
 * `ReadableStream` (a `fetch` `Request.body`) or any async iterable of bytes (or strings,
 * read as UTF-8).
 *
 * @example
 * ```ts
 * const body: UploadBody = createReadStream('claims.csv')
 * const fromFetch: UploadBody = request.body!
 * ```
 */
export type UploadBody = Readable | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array | string>

/**
 * Pull-based access to an {@link UploadBody}, one chunk at a time. `close()` stops reading
 * WITHOUT destroying a Node stream or cancelling a web stream, so an HTTP layer can still
 * answer on the same connection after the library stopped reading early (too large, too
 * many errors); plain async iterators are closed with `return()`.
 *
 * @example
 * ```ts
 * const source = openByteSource(req)
 * const chunk = await source.next() // Buffer | undefined at the end
 * await source.close()
 * ```
 */
export interface ByteSource {
  /** The next non-empty chunk, or `undefined` at the end of the body. */
  next(): Promise<Buffer | undefined>
  /** Stops reading (idempotent). */
  close(): Promise<void>
}

function toBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8')
  throw new TypeError('An upload body must yield bytes (Uint8Array) or strings.')
}

function isWebStream(body: UploadBody): body is ReadableStream<Uint8Array> {
  return typeof (body as ReadableStream<Uint8Array>).getReader === 'function'
}

/**
 * Opens an {@link UploadBody} for pulling (see {@link ByteSource}).
 *
 * @example
 * ```ts
 * const source = openByteSource(Readable.from(['a,b\n', '1,2\n']))
 * ```
 */
export function openByteSource(body: UploadBody): ByteSource {
  let done = false
  if (isWebStream(body)) {
    const reader = body.getReader()
    return {
      async next() {
        while (!done) {
          const { value, done: end } = await reader.read()
          if (end) {
            done = true
            reader.releaseLock()
            return undefined
          }
          const chunk = toBuffer(value)
          if (chunk.length > 0) return chunk
        }
        return undefined
      },
      async close() {
        if (done) return
        done = true
        reader.releaseLock()
      },
    }
  }
  const iterator: AsyncIterator<unknown> =
    body instanceof Readable ? body.iterator({ destroyOnReturn: false }) : (body as AsyncIterable<unknown>)[Symbol.asyncIterator]()
  return {
    async next() {
      while (!done) {
        const result = await iterator.next()
        if (result.done) {
          done = true
          return undefined
        }
        const chunk = toBuffer(result.value)
        if (chunk.length > 0) return chunk
      }
      return undefined
    },
    async close() {
      if (done) return
      done = true
      await iterator.return?.()
    },
  }
}
