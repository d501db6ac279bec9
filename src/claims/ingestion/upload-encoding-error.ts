import { ValidationError } from '../../errors/index.js'

/**
 * The body does not start as UTF-8 CSV text: a UTF-16 or UTF-32 byte order mark, a
 * compressed or binary format (gzip, zip, ...), or a header row holding a NUL byte or bytes
 * that are not UTF-8. Found in the first bytes, before any upload row is created; a
 * {@link ValidationError} on the parameter `file`, so the HTTP layer answers 400
 * `{"file": ["The file is not UTF-8 text: it is gzip-compressed. ..."]}`. (Bytes that stop
 * being UTF-8 further down fail the upload with a row error of their line: HTTP 422.)
 *
 * @example
 * ```ts
 * try { await ingestUpload(tenant, { filename: 'claims.csv.gz', body: createReadStream('claims.csv.gz') }) }
 * catch (e) { if (e instanceof UploadEncodingError) console.log(e.fields.file) }
 * ```
 */
export class UploadEncodingError extends ValidationError {
  constructor(problem: string, options?: { cause?: unknown }) {
    super({ file: [problem] }, options)
  }
}
